"""Trimtab's Teams bot service: the composition root.

Public surface::

    create_app(settings, *, store=None, time_source=None)   the aiohttp application factory
    Settings.from_env()                              configuration from the environment / .env
    main()                                           the ``trimtab`` command line
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trimtab")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+local"
