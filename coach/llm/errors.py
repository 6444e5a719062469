"""The LLM's typed failures: each says what happened, that the draft and offline result were kept, what to do."""

from __future__ import annotations

from coach.errors import LLMError


class LLMUnreachable(LLMError):
    title = "LLM endpoint unreachable"


class LLMTimeout(LLMError):
    title = "LLM endpoint timed out"


class LLMAuthError(LLMError):
    title = "LLM endpoint refused the API key"


class LLMRateLimited(LLMError):
    title = "LLM endpoint is busy"


class LLMServerError(LLMError):
    title = "LLM endpoint failed"


class LLMBadReply(LLMError):
    title = "LLM reply unusable"


class LLMModelNotFound(LLMError):
    title = "Model not served"


class LLMContextExceeded(LLMError):
    title = "Prompt too long for the model"


class LLMReplyTooLarge(LLMBadReply):
    title = "LLM reply too large"


class LLMRemoteRefused(LLMError):
    title = "Remote endpoint refused"
