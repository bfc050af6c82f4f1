using CretoAI.Fast.Node.Replica;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class PendingSyncRequestsTests
{
    [Fact]
    public async Task An_answer_completes_its_request_only_from_the_validator_it_went_to()
    {
        var pending = new PendingSyncRequests();
        var (correlation, answer) = pending.Start(peer: 2);

        Assert.False(pending.Complete(from: 1, correlation, [9])); // another validator's frame with that id
        Assert.False(answer.IsCompleted);
        Assert.True(pending.Complete(from: 2, correlation, [7]));
        Assert.Equal([7], await answer);
        Assert.Equal(0, pending.Count);
        Assert.False(pending.Complete(from: 2, correlation, [7])); // a late duplicate
    }

    [Fact]
    public async Task A_link_going_down_fails_that_validators_requests_at_once_and_no_others()
    {
        var pending = new PendingSyncRequests();
        var (_, toThree) = pending.Start(peer: 3);
        var (_, toThreeAgain) = pending.Start(peer: 3);
        var (other, toOne) = pending.Start(peer: 1);

        Assert.Equal(2, pending.FailPeer(3));
        var failure = await Assert.ThrowsAsync<IOException>(() => toThree);
        Assert.Contains("validator 3", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IOException>(() => toThreeAgain);
        Assert.False(toOne.IsCompleted);
        Assert.Equal(1, pending.Count);

        pending.Forget(other);
        Assert.Equal(0, pending.Count);
        Assert.Equal(0, pending.FailPeer(1));
    }
}
