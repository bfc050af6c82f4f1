using System.Net;
using CretoAI.Fast.LoadGen.Engine;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// A network mode: C connections, each driven by the same <see cref="ConnectionDriver{TProtocol}"/>;
/// subclasses only say how one connection is opened.
/// </summary>
internal abstract class NetworkLoadMode<TProtocol> : ILoadMode
    where TProtocol : struct, IRequestProtocol
{
    private readonly List<ConnectionDriver<TProtocol>> _drivers = [];

    protected NetworkLoadMode(LoadPlan plan) => Plan = plan;

    public abstract string Name { get; }

    public int Workers => Plan.Connections;

    public int ItemsPerRequest => 1;

    public string Target => Plan.Target.ToString() ?? "?";

    protected LoadPlan Plan { get; }

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        // Small parallel waves: a handshake costs a few ML-DSA operations, and a burst of hundreds
        // of connects can overflow a small listen backlog.
        const int Wave = 8;
        for (var i = 0; i < Plan.Connections; i += Wave)
        {
            var count = Math.Min(Wave, Plan.Connections - i);
            var wave = new Task<ConnectionDriver<TProtocol>>[count];
            for (var j = 0; j < count; j++)
            {
                wave[j] = ConnectOneAsync(Plan.Target, cancellationToken);
            }

            try
            {
                await Task.WhenAll(wave).ConfigureAwait(false);
            }
            finally
            {
                foreach (var task in wave)
                {
                    if (task.IsCompletedSuccessfully)
                    {
                        _drivers.Add(task.Result);
                    }
                }
            }
        }
    }

    public async Task RunStepAsync(StepStart start, IReadOnlyList<WorkerStats> stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(stats);
        if (_drivers.TrueForAll(d => d.IsBroken))
        {
            throw new LoadGenException($"every connection to {Target} has been closed by the target");
        }

        var running = new Task[_drivers.Count];
        for (var i = 0; i < _drivers.Count; i++)
        {
            var driver = _drivers[i];
            var workerStats = stats[i];
            var worker = i;
            var workers = _drivers.Count;

            // No cancellation token on Task.Run: a worker that never ran would never report ready.
            running[i] = Task.Run(() => driver.RunStepAsync(start, worker, workers, Plan.Drain, workerStats, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var driver in _drivers)
        {
            await driver.DisposeAsync().ConfigureAwait(false);
        }

        _drivers.Clear();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<ConnectionDriver<TProtocol>> ConnectOneAsync(EndPoint target, CancellationToken cancellationToken);
}
