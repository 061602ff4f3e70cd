
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0002_rating_elements_none_or_all_nine'),
        ('complaints', '0005_submission_key'),
        ('offices', '0004_escalation_ladder'),
    ]

    operations = [
        # ServiceRating moved from the portal app: the table (portal_servicerating) stays;
        # only Django's idea of which app owns the model changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ServiceRating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('score', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='score')),
                        ('elements', models.JSONField(blank=True, default=dict, verbose_name='element scores')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('complaint', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='rating', to='complaints.complaint', verbose_name='complaint')),
                    ],
                    options={
                        'verbose_name': 'service rating',
                        'verbose_name_plural': 'service ratings',
                        'db_table': 'portal_servicerating',
                        'constraints': [models.CheckConstraint(condition=models.Q(('score__gte', 1), ('score__lte', 4)), name='rating_score_1_to_4'), models.CheckConstraint(condition=models.Q(('elements', {}), models.Q(('elements__has_keys', ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9']), ('elements__u1__in', [1, 2, 3, 4]), ('elements__u2__in', [1, 2, 3, 4]), ('elements__u3__in', [1, 2, 3, 4]), ('elements__u4__in', [1, 2, 3, 4]), ('elements__u5__in', [1, 2, 3, 4]), ('elements__u6__in', [1, 2, 3, 4]), ('elements__u7__in', [1, 2, 3, 4]), ('elements__u8__in', [1, 2, 3, 4]), ('elements__u9__in', [1, 2, 3, 4])), _connector='OR'), name='rating_elements_none_or_all_nine_1_to_4')],
                    },
                ),
            ],
        ),
        migrations.CreateModel(
            name='SurveyPopulation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('year', models.PositiveSmallIntegerField(verbose_name='tahun')),
                ('half', models.PositiveSmallIntegerField(choices=[(1, 'I'), (2, 'II')], verbose_name='semester')),
                ('population', models.PositiveIntegerField(verbose_name='jumlah penerima layanan')),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.office')),
            ],
            options={
                'verbose_name': 'populasi survei',
                'verbose_name_plural': 'populasi survei',
                'constraints': [models.UniqueConstraint(fields=('office', 'year', 'half'), name='unique_survey_population')],
            },
        ),
        migrations.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('elements', models.JSONField(verbose_name='element scores')),
                ('score', models.PositiveSmallIntegerField(verbose_name='score')),
                ('age_band', models.CharField(choices=[('lt20', 'Di bawah 20 tahun'), ('20-29', '20–29 tahun'), ('30-39', '30–39 tahun'), ('40-49', '40–49 tahun'), ('50+', '50 tahun ke atas')], max_length=10, verbose_name='usia')),
                ('sex', models.CharField(choices=[('m', 'Laki-laki'), ('f', 'Perempuan')], max_length=1, verbose_name='jenis kelamin')),
                ('education', models.CharField(choices=[('sd', 'SD ke bawah'), ('smp', 'SMP'), ('sma', 'SMA/SMK'), ('d1-d3', 'D1–D3'), ('d4-s1', 'D4/S1'), ('s2+', 'S2 ke atas')], max_length=10, verbose_name='pendidikan')),
                ('occupation', models.CharField(choices=[('pns', 'PNS'), ('tni_polri', 'TNI/Polri'), ('private', 'Pegawai swasta'), ('entrepreneur', 'Wirausaha'), ('student', 'Pelajar/Mahasiswa'), ('other', 'Lainnya')], max_length=20, verbose_name='pekerjaan')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('nonce', models.CharField(max_length=64, unique=True)),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.office')),
                ('service_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.servicetype', verbose_name='jenis layanan')),
            ],
            options={
                'verbose_name': 'jawaban survei kepuasan',
                'verbose_name_plural': 'jawaban survei kepuasan',
                'indexes': [models.Index(fields=['office', 'created_at'], name='survey_office_time')],
                'constraints': [models.CheckConstraint(condition=models.Q(('score__gte', 1), ('score__lte', 4)), name='survey_score_1_to_4'), models.CheckConstraint(condition=models.Q(('elements__has_keys', ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9']), ('elements__u1__in', [1, 2, 3, 4]), ('elements__u2__in', [1, 2, 3, 4]), ('elements__u3__in', [1, 2, 3, 4]), ('elements__u4__in', [1, 2, 3, 4]), ('elements__u5__in', [1, 2, 3, 4]), ('elements__u6__in', [1, 2, 3, 4]), ('elements__u7__in', [1, 2, 3, 4]), ('elements__u8__in', [1, 2, 3, 4]), ('elements__u9__in', [1, 2, 3, 4])), name='survey_elements_all_nine_1_to_4')],
            },
        ),
    ]
