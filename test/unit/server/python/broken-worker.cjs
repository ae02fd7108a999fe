// A stand-in index worker for tests that fails while loading, as a worker without its .wasm files would.
throw new Error('This index worker cannot start.');
