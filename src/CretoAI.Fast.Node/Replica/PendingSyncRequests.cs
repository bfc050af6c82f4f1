using System.Collections.Concurrent;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// Catch-up requests waiting for their answer, each tied to the validator it went to. An answer
/// completes its request only when it comes from that validator; when the link to a validator goes
/// down, its requests fail at once instead of keeping the node paused (not voting) until the sync
/// timeout (10 s).
/// </summary>
internal sealed class PendingSyncRequests
{
    private readonly ConcurrentDictionary<uint, (int Peer, TaskCompletionSource<byte[]> Answer)> _pending = new();
    private int _correlation;

    /// <summary>Requests waiting.</summary>
    public int Count => _pending.Count;

    /// <summary>Registers a request to validator <paramref name="peer"/>: its correlation id, and the answer to await.</summary>
    public (uint Correlation, Task<byte[]> Answer) Start(int peer)
    {
        var correlation = (uint)Interlocked.Increment(ref _correlation);
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlation] = (peer, answer);
        return (correlation, answer.Task);
    }

    /// <summary>Completes the request <paramref name="correlation"/> if validator <paramref name="from"/> is the one it went to.</summary>
    public bool Complete(int from, uint correlation, byte[] payload) =>
        _pending.TryGetValue(correlation, out var request) && request.Peer == from &&
        _pending.TryRemove(correlation, out _) && request.Answer.TrySetResult(payload);

    /// <summary>Fails every request to validator <paramref name="peer"/> with an <see cref="IOException"/>; returns how many.</summary>
    public int FailPeer(int peer)
    {
        var failed = 0;
        foreach (var (correlation, request) in _pending)
        {
            if (request.Peer == peer && _pending.TryRemove(correlation, out _))
            {
                request.Answer.TrySetException(new IOException($"the link to validator {peer} went down before it answered"));
                failed++;
            }
        }

        return failed;
    }

    /// <summary>Forgets a request (answered, timed out or abandoned).</summary>
    public void Forget(uint correlation) => _pending.TryRemove(correlation, out _);
}
