"""Exceptions raised by :mod:`kernels`.

Misuse (a wrong shape, dtype, device, a beta outside ``[0, 2]`` when checked) raises :class:`InvalidInput`,
a :class:`ValueError`; an unavailable optional backend raises :class:`BackendUnavailable`, an
:class:`ImportError`; a request a backend does not implement raises :class:`BackendUnsupported`, a
:class:`NotImplementedError` (kept for that purpose: since the ``recurrent`` backend gained its backward in session
18, no backend raises it).
"""

from __future__ import annotations

__all__ = ["BackendUnavailable", "BackendUnsupported", "InvalidInput"]


class InvalidInput(ValueError):
    """An argument of :func:`kernels.deltaproduct` is malformed; the message names it and what was expected.

    Examples
    --------
    >>> from kernels.errors import InvalidInput
    >>> issubclass(InvalidInput, ValueError)
    True
    """


class BackendUnavailable(ImportError):
    """An optional backend (``fla``) or its hardware (a CUDA device for ``chunked``) is missing.

    Examples
    --------
    >>> from kernels.errors import BackendUnavailable
    >>> issubclass(BackendUnavailable, ImportError)
    True
    """


class BackendUnsupported(NotImplementedError):
    """The backend exists but does not implement the request (raised by no backend at present).

    Examples
    --------
    >>> from kernels.errors import BackendUnsupported
    >>> issubclass(BackendUnsupported, NotImplementedError)
    True
    """
