# The Notice model moves here from care, table and rows untouched: this migration takes over
# the model's state on care's table, care 0005 lets go of it, and 0002 renames the table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('care', '0004_dueitem_derived_links'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('reminder', '任务提醒'), ('overdue', '逾期提醒'), ('flag', '问题上报'), ('limit', '结对超限')], max_length=10, verbose_name='类型')),
                        ('key', models.CharField(max_length=100)),
                        ('title', models.CharField(max_length=100, verbose_name='标题')),
                        ('body', models.CharField(blank=True, max_length=500, verbose_name='内容')),
                        ('url', models.CharField(blank=True, max_length=200)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '通知',
                        'verbose_name_plural': '通知',
                        'ordering': ['-created_at', '-id'],
                        'db_table': 'care_notice',
                        'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='notice_once')],
                    },
                ),
            ],
        ),
    ]
