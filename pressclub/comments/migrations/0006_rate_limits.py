# Indexes for the comment flood limits, and the limits' help text.

import django.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0005_comment_holds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='commentpolicysettings',
            name='rate_per_hour',
            field=models.PositiveIntegerField(default=30, help_text='Per account, over a sliding window. One network address may post 50 times as many.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10000)], verbose_name='comments per hour'),
        ),
        migrations.AlterField(
            model_name='commentpolicysettings',
            name='rate_per_minute',
            field=models.PositiveIntegerField(default=5, help_text='Per account, over a sliding window. One network address may post 50 times as many.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)], verbose_name='comments per minute'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['user', 'created_at'], name='comments_co_user_id_e44996_idx'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['ip_hash', 'created_at'], name='comments_co_ip_hash_d2f666_idx'),
        ),
    ]
