using System.Diagnostics;
using System.Net;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net.Client;

namespace CretoAI.Fast.Node.HostChild;

/// <summary>
/// Many agents in one process (the client side of the 10,000-connection test, so each process stays
/// under its file-descriptor limit): logs them all in to one node, waits for a go file, then each
/// sends one message to the next and reads one from the previous.
/// </summary>
public static class AgentSwarm
{
    /// <summary>The key of agent <paramref name="index"/> of a swarm (the test registers the same keys).</summary>
    public static KeyPair Key(int seedBase, int index)
    {
        var seed = new byte[32];
        BitConverter.TryWriteBytes(seed, seedBase);
        BitConverter.TryWriteBytes(seed.AsSpan(4), index);
        seed[31] = 0x5A;
        return KeyPair.FromSeed(seed);
    }

    public static async Task<int> RunAsync(IPEndPoint node, int count, int seedBase, string goFile)
    {
        var clients = new AgentClient[count];
        var keys = new KeyPair[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = Key(seedBase, i);
        }

        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            clients[i] = await AgentClient.ConnectAsync(node, keys[i], new AgentClientOptions { InboxCapacity = 4, ConnectTimeout = TimeSpan.FromMinutes(2) }, ct));
        Console.WriteLine($"connected {count} in {clock.Elapsed.TotalSeconds:F1} s");
        while (!File.Exists(goFile))
        {
            await Task.Delay(50);
        }

        clock.Restart();
        var sends = new Task<Wire.Routing.RouteResultMessage>[count];
        for (var i = 0; i < count; i++)
        {
            sends[i] = clients[i].SendAsync(keys[(i + 1) % count].NodeId, BitConverter.GetBytes(i));
        }

        var results = await Task.WhenAll(sends);
        var refused = results.Count(r => r.Status != 0);
        var wrong = 0;
        for (var i = 0; i < count; i++)
        {
            var message = await clients[i].Messages.ReadAsync();
            var previous = (i + count - 1) % count;
            if (message.Sender != keys[previous].NodeId || BitConverter.ToInt32(message.Payload.Span) != previous || clients[i].Messages.TryRead(out _))
            {
                wrong++;
            }
        }

        Console.WriteLine($"routed {count} in {clock.Elapsed.TotalSeconds:F2} s: {count - refused} delivered, {refused} refused, {wrong} wrong receipts");
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        return refused == 0 && wrong == 0 ? 0 : 1;
    }
}
