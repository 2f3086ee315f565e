"""Wrap a gRPC method handler's behaviour so code runs around every call, inside its task."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import grpc

Around = Callable[[grpc.aio.ServicerContext], AbstractAsyncContextManager[object]]
Behaviour = Callable[..., Any]

_DONE = object()


def wrap_handler(handler: grpc.RpcMethodHandler, around: Around) -> grpc.RpcMethodHandler:
    """A copy of handler whose behaviour runs inside `async with around(context)`."""
    if handler.unary_unary is not None:
        return handler._replace(unary_unary=_wrap_single(handler.unary_unary, around))
    if handler.stream_unary is not None:
        return handler._replace(stream_unary=_wrap_single(handler.stream_unary, around))
    if handler.unary_stream is not None:
        return handler._replace(unary_stream=_wrap_stream(handler.unary_stream, around))
    if handler.stream_stream is not None:
        return handler._replace(stream_stream=_wrap_stream(handler.stream_stream, around))
    return handler


class WrappingInterceptor(grpc.aio.ServerInterceptor):
    """An interceptor that runs `around(details, context)` around every call it handles."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Any],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler | None:
        handler = await continuation(handler_call_details)
        if handler is None or not self.applies_to(handler_call_details.method):
            return handler
        return wrap_handler(handler, lambda context: self.around(handler_call_details, context))

    def applies_to(self, method: str) -> bool:
        """Whether calls of method are wrapped at all."""
        return True

    def around(
        self, details: grpc.HandlerCallDetails, context: grpc.aio.ServicerContext
    ) -> AbstractAsyncContextManager[object]:
        raise NotImplementedError


def _wrap_single(behaviour: Behaviour, around: Around) -> Behaviour:
    """Wrap a behaviour that returns one response."""

    async def single(request: Any, context: grpc.aio.ServicerContext) -> Any:
        async with around(context):
            if inspect.iscoroutinefunction(behaviour):
                return await behaviour(request, context)
            return await asyncio.to_thread(behaviour, request, context)

    return single


def _wrap_stream(behaviour: Behaviour, around: Around) -> Behaviour:
    """Wrap a streaming-response behaviour, keeping its shape (writer coroutine or generator)."""
    if inspect.iscoroutinefunction(behaviour):

        async def writer(request: Any, context: grpc.aio.ServicerContext) -> None:
            async with around(context):
                await behaviour(request, context)

        return writer

    async def generator(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
        async with around(context):
            async for response in _responses(behaviour(request, context)):
                yield response

    return generator


async def _responses(result: Any) -> AsyncIterator[Any]:
    """Iterate an async iterator, or a sync one in a worker thread."""
    if hasattr(result, "__aiter__"):
        async for item in result:
            yield item
        return
    iterator = iter(result)
    while (item := await asyncio.to_thread(next, iterator, _DONE)) is not _DONE:
        yield item
