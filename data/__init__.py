"""The bundled data, installed as the package ``rli_data`` (see README.md here and pyproject).

Nothing to import: rli reads these files through ``crosswalks.bundled``.
"""
