# care_notice becomes notices_notice (a rename: the rows stay), the kinds of the protection app
# join the old ones (wider column), and the unread count per user gets its index.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0001_initial'),
        ('care', '0005_notice_moved_to_notices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(
            name='notice',
            table=None,
        ),
        migrations.AlterField(
            model_name='notice',
            name='kind',
            field=models.CharField(choices=[('reminder', '任务提醒'), ('overdue', '逾期提醒'), ('flag', '问题上报'), ('limit', '结对超限'), ('case', '保护个案'), ('lapse', '响应超时'), ('escalation', '超时上报')], max_length=20, verbose_name='类型'),
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(fields=['user', 'read_at'], name='notice_user_read'),
        ),
    ]
