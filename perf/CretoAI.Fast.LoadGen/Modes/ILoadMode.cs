using CretoAI.Fast.LoadGen.Engine;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// One kind of load. A mode prepares its workers once (<see cref="OpenAsync"/>: connections and
/// handshakes, or pre-signed messages) and then runs any number of steps on them, one worker per
/// <see cref="WorkerStats"/>. Network modes over an in-order protocol share
/// <see cref="NetworkLoadMode{TProtocol}"/>; a mode whose replies come out of order or on another
/// stream (the future <c>tx</c> mode: submit, then await the commit notification) implements this
/// interface directly with its own matching of replies to intended send times.
/// </summary>
internal interface ILoadMode : IAsyncDisposable
{
    /// <summary>Name used on the command line and in reports.</summary>
    string Name { get; }

    /// <summary>Number of parallel workers (connections, or verify threads).</summary>
    int Workers { get; }

    /// <summary>Units of work in one request (signatures per batch in verify mode; 1 otherwise).</summary>
    int ItemsPerRequest { get; }

    /// <summary>What the target is, for reports (an endpoint, or "in-process").</summary>
    string Target { get; }

    /// <summary>Connects and prepares; throws <see cref="LoadGenException"/> with a clear message for a bad target.</summary>
    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs one step on exactly <see cref="Workers"/> workers, each of which awaits
    /// <see cref="StepStart.ReadyAsync"/> before anything else (so the clock starts only when all of
    /// them run); returns when every worker has stopped sending and drained its replies.
    /// </summary>
    Task RunStepAsync(StepStart start, IReadOnlyList<WorkerStats> stats, CancellationToken cancellationToken);
}
