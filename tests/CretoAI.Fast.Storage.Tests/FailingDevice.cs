using FASTER.core;

namespace CretoAI.Fast.Storage.Tests;

/// <summary>
/// A log device that behaves like a real one until <c>budgetBytes</c> have been written, then fails every
/// write with ENOSPC (28) the way a full disk does. Stands in for a tiny tmpfs where mounting is not allowed.
/// </summary>
internal sealed class FailingDevice : StorageDeviceBase
{
    private const uint NoSpaceLeft = 28;
    private readonly IDevice _inner;
    private long _budget;

    public FailingDevice(string path, long budgetBytes)
        : base(path, 512, -1)
    {
        _inner = Devices.CreateLogDevice(path, preallocateFile: false, deleteOnClose: false, recoverDevice: true);
        _budget = budgetBytes;
    }

    public override void Initialize(long segmentSize, LightEpoch? epoch = null, bool omitSegmentIdFromFilename = false)
    {
        base.Initialize(segmentSize, epoch, omitSegmentIdFromFilename);
        _inner.Initialize(segmentSize, epoch, omitSegmentIdFromFilename);
    }

    public override void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        if (Interlocked.Add(ref _budget, -numBytesToWrite) < 0)
        {
            callback(NoSpaceLeft, 0, context);
            return;
        }

        _inner.WriteAsync(sourceAddress, segmentId, destinationAddress, numBytesToWrite, callback, context);
    }

    public override void ReadAsync(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context) =>
        _inner.ReadAsync(segmentId, sourceAddress, destinationAddress, readLength, callback, context);

    public override void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result) =>
        _inner.RemoveSegmentAsync(segment, callback, result);

    public override long GetFileSize(int segment) => _inner.GetFileSize(segment);

    public override void Dispose() => _inner.Dispose();
}
