"""daily sync: sources, files read, sync runs; the version that made each run

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

New tables only (``sync_source``, ``sync_file``, ``sync_run``) and one nullable column
(``posting_run.app_version``: runs made before it stay without a version): no existing
row changes.
"""
from alembic import op
import sqlalchemy as sa
import app.models.base


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=1000), nullable=False),
    sa.Column('preset', sa.String(length=100), nullable=True),
    sa.Column('sheet', sa.String(length=100), nullable=True),
    sa.Column('date_format', sa.String(length=50), nullable=True),
    sa.Column('full_export', sa.Boolean(), nullable=False),
    sa.Column('scheduled_on', sa.String(length=200), nullable=True),
    sa.Column('scheduled_at', sa.String(length=5), nullable=True),
    sa.Column('created_at', app.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_sync_source_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_source')),
    sa.UniqueConstraint('company_id', name=op.f('uq_sync_source_company_id'))
    )
    op.create_table('sync_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=False),
    sa.Column('read_at', app.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_sync_file_company_id_company')),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], name=op.f('fk_sync_file_import_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_file')),
    sa.UniqueConstraint('company_id', 'path', 'sha256', name=op.f('uq_sync_file_company_id'))
    )
    with op.batch_alter_table('sync_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_file_company_id'), ['company_id'], unique=False)

    op.create_table('sync_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('started_at', app.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', app.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('imported', sa.JSON(), nullable=False),
    sa.Column('posting_run_id', sa.Integer(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('report_file', sa.String(length=1000), nullable=True),
    sa.Column('app_version', sa.String(length=20), nullable=False),
    sa.Column('seen_at', app.models.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_sync_run_company_id_company')),
    sa.ForeignKeyConstraint(['posting_run_id'], ['posting_run.id'], name=op.f('fk_sync_run_posting_run_id_posting_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_run'))
    )
    with op.batch_alter_table('sync_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_run_company_id'), ['company_id'], unique=False)

    with op.batch_alter_table('posting_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('app_version', sa.String(length=20), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('posting_run', schema=None) as batch_op:
        batch_op.drop_column('app_version')

    with op.batch_alter_table('sync_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_run_company_id'))

    op.drop_table('sync_run')
    with op.batch_alter_table('sync_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_file_company_id'))

    op.drop_table('sync_file')
    op.drop_table('sync_source')
