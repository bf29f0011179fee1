"""Flask extensions, created here and bound to an app in ``create_app``."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from board.models.base import Base

# Each request commits once, at its end, and then renders or redirects: objects stay readable
# after the commit without reloading every attribute.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
# Storage comes from RATELIMIT_STORAGE_URI (memory:// unless set, e.g. redis://127.0.0.1:6379).
limiter = Limiter(get_remote_address)
