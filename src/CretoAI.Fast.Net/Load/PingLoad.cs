using System.Buffers;
using System.Diagnostics;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire;
using HdrHistogram;

namespace CretoAI.Fast.Net.Load;

/// <summary>
/// Drives real framed round trips against a node: C connections, each keeping D Pings in flight
/// (closed loop), replies matched by correlation id, latency per round trip recorded in an
/// HdrHistogram. All connections complete their handshake before the clock starts; a warm-up
/// period is run and discarded. Per request nothing is allocated: frames are encoded into the
/// pipe, replies decoded in place, timestamps kept in a ring indexed by correlation id.
/// </summary>
public static class PingLoad
{
    private const long HighestTrackableNanos = 60L * 1_000_000_000;

    public static async Task<PingLoadResult> RunAsync(PingLoadOptions load, ClientOptions client, IMessageSigner signer, ISignatureVerifier verifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(load);
        load.Validate();

        var clients = new FrameClient[load.Connections];
        try
        {
            // Handshakes in small parallel waves: each costs a few ML-DSA operations.
            for (var i = 0; i < clients.Length; i += 8)
            {
                var wave = Enumerable.Range(i, Math.Min(8, clients.Length - i))
                    .Select(async j => clients[j] = await FrameClient.ConnectAsync(load.Target, client, signer, verifier, cancellationToken).ConfigureAwait(false));
                await Task.WhenAll(wave).ConfigureAwait(false);
            }

            var payload = new byte[load.PayloadBytes];
            Random.Shared.NextBytes(payload);
            // The clock starts only when every worker is running, so a busy machine that is slow
            // to schedule them shortens nobody's measurement window.
            var clock = new LoadClock(clients.Length);
            var workers = new Task<Worker>[clients.Length];
            for (var i = 0; i < clients.Length; i++)
            {
                var worker = new Worker(clients[i], load.Depth, payload, clock);
                workers[i] = Task.Run(() => worker.RunAsync(cancellationToken), cancellationToken);
            }

            await clock.AllReady.WaitAsync(cancellationToken).ConfigureAwait(false);
            clock.Start(load.Warmup, load.Duration);

            // Process-wide allocation over the whole run (warm-up included), divided by round trips:
            // with the server in the same process this covers both ends of the hot path.
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            var done = await Task.WhenAll(workers).ConfigureAwait(false);
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
            var measured = TimeSpan.FromSeconds((double)(clock.StopAt - clock.MeasureFrom) / Stopwatch.Frequency);
            var histogram = new LongHistogram(HighestTrackableNanos, 3);
            long roundTrips = 0, errors = 0, total = 0;
            foreach (var worker in done)
            {
                histogram.Add(worker.Histogram);
                roundTrips += worker.Measured;
                errors += worker.Errors;
                total += worker.Completed;
            }

            return new PingLoadResult(
                load.Connections,
                load.Depth,
                load.PayloadBytes,
                measured,
                roundTrips,
                errors,
                Micros(histogram, 50),
                Micros(histogram, 90),
                Micros(histogram, 99),
                Micros(histogram, 99.9),
                histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / 1000.0,
                total == 0 ? 0 : (double)allocated / total);
        }
        finally
        {
            foreach (var c in clients)
            {
                if (c is not null)
                {
                    await c.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static double Micros(LongHistogram histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;

    private sealed class Worker
    {
        private readonly FrameClient _client;
        private readonly int _depth;
        private readonly byte[] _payload;
        private readonly LoadClock _clock;
        private readonly long[] _sentAt;
        private readonly double _nanosPerTick = 1e9 / Stopwatch.Frequency;

        public Worker(FrameClient client, int depth, byte[] payload, LoadClock clock)
        {
            _client = client;
            _depth = depth;
            _payload = payload;
            _clock = clock;
            _sentAt = new long[depth];
        }

        public LongHistogram Histogram { get; } = new(HighestTrackableNanos, 3);

        public long Measured { get; private set; }

        public long Errors { get; private set; }

        /// <summary>Round trips completed, warm-up included.</summary>
        public long Completed { get; private set; }

        public async Task<Worker> RunAsync(CancellationToken cancellationToken)
        {
            var output = _client.Output;
            var input = _client.Input;
            var decoder = _client.Decoder;
            uint nextId = 0;
            uint expected = 0;
            await _clock.ReadyAsync().ConfigureAwait(false);
            var measureFrom = _clock.MeasureFrom;
            var stopAt = _clock.StopAt;

            for (var i = 0; i < _depth; i++)
            {
                Send(output, nextId++);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            var outstanding = _depth;
            var sending = true;

            while (outstanding > 0)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var now = Stopwatch.GetTimestamp();
                sending &= now < stopAt;
                var wrote = false;
                while (decoder.TryDecode(ref buffer, out var frame, out _) == DecodeStatus.Frame)
                {
                    outstanding--;
                    if (frame.Type != MessageType.Pong || frame.CorrelationId != expected)
                    {
                        Errors++;
                    }
                    else
                    {
                        Completed++;
                        var sentAt = _sentAt[expected % (uint)_depth];
                        if (sentAt >= measureFrom && now <= stopAt)
                        {
                            Histogram.RecordValue((long)((now - sentAt) * _nanosPerTick));
                            Measured++;
                        }
                    }

                    expected++;
                    if (sending)
                    {
                        Send(output, nextId++);
                        outstanding++;
                        wrote = true;
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (wrote)
                {
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                if (result.IsCompleted)
                {
                    Errors += outstanding;
                    break;
                }
            }

            return this;
        }

        private void Send(IBufferWriter<byte> output, uint id)
        {
            _sentAt[id % (uint)_depth] = Stopwatch.GetTimestamp();
            FrameEncoder.Write(output, MessageType.Ping, FrameFlags.None, id, _payload);
        }
    }
}
