using CretoAI.Fast.Core;

namespace CretoAI.Fast.Storage.Tests;

public sealed class ShardedStoreOptionsTests
{
    [Theory]
    [InlineData(1 << 20, 21)] // 1 MiB values + key + record header need 2 MiB pages
    [InlineData(4096, 13)]
    [InlineData(100, 12)] // never below 4 KiB
    [InlineData((1 << 20) - 96, 20)] // exactly fits 1 MiB
    public void Pages_are_the_smallest_power_of_two_that_holds_the_largest_record(int maxValueSize, int expectedBits)
    {
        var options = new ShardedStoreOptions { MaxValueSize = maxValueSize };
        Assert.Equal(expectedBits, options.PageSizeBits);
        Assert.True((1L << options.PageSizeBits) >= maxValueSize + options.KeySize + 64);
        options.Validate();
    }

    [Fact]
    public void The_page_size_does_not_grow_with_the_memory_budget()
    {
        var small = new ShardedStoreOptions { MemoryBudgetPerShardBytes = 8L << 20 };
        var large = new ShardedStoreOptions { MemoryBudgetPerShardBytes = 1L << 30 };
        Assert.Equal(small.PageSizeBits, large.PageSizeBits);
    }

    [Fact]
    public void A_memory_budget_that_cannot_hold_two_pages_names_the_setting()
    {
        var options = new ShardedStoreOptions { MemoryBudgetPerShardBytes = 1L << 20, MaxValueSize = 1 << 20 };
        var error = Assert.Throws<InvalidSettingException>(options.Validate);
        Assert.Contains(nameof(ShardedStoreOptions.MemoryBudgetPerShardBytes), error.Message, StringComparison.Ordinal);
    }
}
