# Notice now belongs to guanai/notices (its 0001 took over the model on this app's table):
# care forgets the model without touching the table or its rows.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0004_dueitem_derived_links'),
        ('notices', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notice')],
        ),
    ]
