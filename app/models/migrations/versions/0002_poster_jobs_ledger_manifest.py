"""poster: jobs own requests, the ledger holds what exists in QBO, run manifests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Data: a ledger row that was not known to exist in QuickBooks ("sending"/"unknown") is
moved to a job in "sending", so the next post looks its key up in QBO before anything
is sent again; "failed" and "deleted" rows (nothing in QBO) are dropped.
"""
from alembic import op
import sqlalchemy as sa
import app.models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('manifest_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('ledger_key', sa.String(length=200), nullable=False),
    sa.Column('entity_type', sa.String(length=30), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('qbo_id', sa.String(length=40), nullable=True),
    sa.Column('doc_number', sa.String(length=21), nullable=True),
    sa.Column('amount', app.models.base.ExactDecimal(length=40), nullable=True),
    sa.Column('txn_date', sa.Date(), nullable=True),
    sa.Column('error_code', sa.String(length=20), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('before_payload', app.models.base.ExactJSON(), nullable=True),
    sa.Column('at', app.models.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_manifest_entry_job_id_job')),
    sa.ForeignKeyConstraint(['run_id'], ['posting_run.id'], name=op.f('fk_manifest_entry_run_id_posting_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manifest_entry'))
    )
    with op.batch_alter_table('manifest_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manifest_entry_run_id'), ['run_id'], unique=False)

    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('content_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('summary', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('amount', app.models.base.ExactDecimal(length=40), nullable=True))
        batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('overrides', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('error_kind', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('blocked_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('sent_at', app.models.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('finished_at', app.models.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_job_ledger_key'), ['ledger_key'], unique=False)
    with op.batch_alter_table('job', schema=None) as batch_op:
        for name in ('request_id', 'content_hash', 'summary', 'sources', 'overrides'):
            batch_op.alter_column(name, server_default=None)

    _ledger_rows_in_doubt_become_jobs()
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.alter_column('qbo_id', existing_type=sa.VARCHAR(length=40), nullable=False)

    with op.batch_alter_table('posting_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicates', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('message', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('inputs_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('undoes_run_id', sa.Integer(), nullable=True))
        batch_op.alter_column('status', existing_type=sa.VARCHAR(length=20),
                              type_=sa.String(length=30), existing_nullable=False)
    with op.batch_alter_table('posting_run', schema=None) as batch_op:
        batch_op.alter_column('duplicates', server_default=None)


def _ledger_rows_in_doubt_become_jobs() -> None:
    import hashlib

    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, company_id, key, entity_type, content_hash, posted_payload, txn_date, "
        "total_amount, created_at FROM ledger_entry WHERE state IN ('sending', 'unknown')"
    )).mappings().all()
    for row in rows:
        idempotency_key = f"{row['key']}#create#{row['content_hash'][:16]}"
        request_id = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
        exists = bind.execute(sa.text(
            "SELECT 1 FROM job WHERE company_id = :c AND idempotency_key = :k"),
            {"c": row['company_id'], "k": idempotency_key}).first()
        if exists is None:
            bind.execute(sa.text(
                "INSERT INTO job (company_id, idempotency_key, request_id, ledger_key, "
                "operation, entity_type, content_hash, summary, amount, payload, depends_on, "
                "sources, overrides, status, attempts, txn_date, created_at, updated_at) VALUES "
                "(:c, :k, :r, :key, 'create', :e, :h, :s, :a, :p, '[]', '[]', '{}', 'sending', 1, "
                ":d, :t, :t)"),
                {"c": row['company_id'], "k": idempotency_key, "r": request_id,
                 "key": row['key'], "e": row['entity_type'], "h": row['content_hash'],
                 "s": f"{row['entity_type']} {row['key']} (outcome unknown before upgrade)",
                 "a": row['total_amount'], "p": row['posted_payload'] or '{}',
                 "d": row['txn_date'], "t": row['created_at']})
    bind.execute(sa.text(
        "DELETE FROM ledger_entry WHERE state NOT IN ('posted', 'voided') OR qbo_id IS NULL"))


def downgrade() -> None:
    with op.batch_alter_table('posting_run', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=30),
                              type_=sa.VARCHAR(length=20), existing_nullable=False)
        batch_op.drop_column('undoes_run_id')
        batch_op.drop_column('inputs_digest')
        batch_op.drop_column('message')
        batch_op.drop_column('duplicates')

    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.alter_column('qbo_id', existing_type=sa.VARCHAR(length=40), nullable=True)

    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_ledger_key'))
        for name in ('finished_at', 'sent_at', 'blocked_by', 'error_kind', 'overrides',
                     'sources', 'amount',
                     'summary', 'content_hash', 'request_id'):
            batch_op.drop_column(name)

    with op.batch_alter_table('manifest_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_manifest_entry_run_id'))
    op.drop_table('manifest_entry')
