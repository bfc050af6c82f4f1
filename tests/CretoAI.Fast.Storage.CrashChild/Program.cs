using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.CrashChild;

// Usage: CrashChild <data-directory>
// Prints "READY <n>" after recovery, then "ACK <n>" after block n is committed, "CKPT <seq>" after each
// checkpoint; runs until killed. Exit code 3: recovery found a record that is not what was written.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: CretoAI.Fast.Storage.CrashChild <data-directory>");
    return 2;
}

using var storage = NodeStorage.Open(CrashScenario.Options(args[0]));
var expected = CrashScenario.Progress(storage.State);
var mismatch = false;
storage.Replay(record =>
{
    var n = CrashScenario.Apply(storage.State, record.Payload);
    mismatch |= n != expected || !record.Payload.SequenceEqual(CrashScenario.Payload(n));
    expected++;
});
if (mismatch)
{
    Console.Error.WriteLine("recovered WAL does not match what was written");
    return 3;
}

var next = CrashScenario.Progress(storage.State);
Console.WriteLine($"READY {next}");
while (true)
{
    var payload = CrashScenario.Payload(next);
    storage.Wal.Append(WalRecordKind.Block, payload);
    storage.Wal.Commit();
    CrashScenario.Apply(storage.State, payload);
    Console.WriteLine($"ACK {next}");
    next++;
    if (next % CrashScenario.CheckpointEvery == 0)
    {
        var manifest = await storage.CheckpointAsync(storage.Wal.TailAddress);
        Console.WriteLine($"CKPT {manifest.Sequence}");
    }
}
