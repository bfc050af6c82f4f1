using CretoAI.Fast.Node.Replica;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class SharedPayloadTests
{
    [Fact]
    public void The_array_goes_back_to_the_pool_only_when_the_last_reference_is_released()
    {
        var pool = new RecordingArrayPool();
        var payload = SharedPayload.CopyOf([1, 2, 3], pool);
        payload.AddReference(); // link 1
        payload.AddReference(); // link 2

        payload.Release(); // the encoder's own
        payload.Release(); // link 1 wrote it
        Assert.Empty(pool.Returned);
        Assert.Equal([1, 2, 3], payload.Span.ToArray()); // exactly the bytes, not the pooled array's tail

        payload.Release(); // link 2 wrote it
        Assert.Same(Assert.Single(pool.Rented), Assert.Single(pool.Returned));
    }

    [Fact]
    public void A_wrapped_array_is_sent_as_it_is_and_never_given_to_a_pool()
    {
        byte[] bytes = [7, 8];
        var payload = SharedPayload.Of(bytes);
        Assert.True(payload.Span == bytes.AsSpan());
        payload.Release();
    }
}
