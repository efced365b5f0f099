import logging

from app.config import resolve_paths
from app.logging_setup import LOG_FILE, configure_logging, redact


def test_home_puts_everything_under_one_folder(tmp_path):
    paths = resolve_paths(tmp_path / "h").ensure()
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir):
        assert folder.is_dir() and tmp_path / "h" in folder.parents


def test_environment_variable_selects_home(isolated_home):
    assert resolve_paths().data_dir == isolated_home.resolve() / "data"


def test_redact_removes_tokens():
    text = redact("Authorization: Bearer eyJabc.def refresh_token=AB12cd&x=1 'access_token': 'zz9'")
    assert "eyJabc" not in text and "AB12cd" not in text and "zz9" not in text


def test_log_file_is_scrubbed(tmp_path):
    paths = resolve_paths(tmp_path).ensure()
    configure_logging(paths.log_dir, stderr_level=None)
    logging.getLogger("t").warning("token refresh_token=%s", "SECRET123")
    for handler in logging.getLogger().handlers:
        handler.flush()
    content = (paths.log_dir / LOG_FILE).read_text()
    assert "token refresh_token=[redacted]" in content and "SECRET123" not in content
