"""就学情况 may be blank: not known yet (shown as 未填写), no longer defaulted to 未入学.

Existing rows keep their value and its meaning: a saved 未入学 stays 未入学. Only new files
start blank, so a school-age child's missing school reads as missing, not as a fact."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0006_parent_restrictions_of_liberty'),
    ]

    operations = [
        migrations.AlterField(
            model_name='child',
            name='school_stage',
            field=models.CharField(blank=True, choices=[('none', '未入学'), ('kindergarten', '幼儿园'), ('primary', '小学'), ('junior', '初中'), ('senior', '高中/中职'), ('special', '特殊教育学校'), ('dropped_out', '辍学')], default='', max_length=20, verbose_name='就学情况'),
        ),
    ]
