"""A bare grpc.aio server answering every call with a fixed-size reply: the benchmark baseline."""

from __future__ import annotations

import asyncio
import sys

import grpc

METHOD_SERVICE = "bench.v1.Echo"


async def serve(port: int, reply_size: int) -> None:
    reply = b"x" * reply_size

    async def echo(_request: bytes, _context: grpc.aio.ServicerContext) -> bytes:
        return reply

    handler = grpc.method_handlers_generic_handler(
        METHOD_SERVICE,
        {
            "Get": grpc.unary_unary_rpc_method_handler(
                echo, request_deserializer=None, response_serializer=None
            )
        },
    )
    server = grpc.aio.server()
    server.add_generic_rpc_handlers((handler,))
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await server.wait_for_termination()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2])))
