"""The machinery behind ``ember.save`` / ``ember.load`` (``ember/serialization.py``).

* ``pickler.py`` -- writes data.pkl, the pickle that describes the saved object;
* ``archive.py`` -- the zip container: writing it, and reading it with every record checked;
* ``allowlist.py`` -- the only names a data.pkl may mention, and ember's checked rebuild
  functions for them;
* ``unpickler.py`` -- the data-only pickle interpreter that reads data.pkl.
"""
