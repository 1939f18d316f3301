"""Run by each Dask worker as it starts (Dask's ``distributed.worker.preload``): its parsing
server (a forkserver that loads the parsers and the word lists) starts at once, in the background."""


def dask_setup(worker) -> None:  # noqa: ARG001 - Dask's preload hook
    from planscope.pipeline.isolate import start_early

    start_early()
