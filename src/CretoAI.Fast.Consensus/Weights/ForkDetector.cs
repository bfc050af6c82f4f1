using System.Diagnostics.CodeAnalysis;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Remembers the first certified block seen at each height and raises a <see cref="ForkAlarm{TCertificate}"/>
/// when a different block is certified at the same height. Each conflicting block id is reported once.
/// Memory is bounded: only the <c>retainedHeights</c> highest heights are remembered. The caller checks the
/// certificates before observing them; this type does not know their format.
/// </summary>
public sealed class ForkDetector<TCertificate>
{
    private readonly Dictionary<ulong, CertifiedBlock<TCertificate>> _firstAtHeight = [];
    private readonly HashSet<(ulong Height, Hash32 BlockId)> _reported = [];
    private readonly ulong _retainedHeights;
    private ulong _highest;

    public ForkDetector(int retainedHeights = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retainedHeights, 1);
        _retainedHeights = (ulong)retainedHeights;
    }

    /// <summary>Heights currently remembered.</summary>
    public int TrackedHeights => _firstAtHeight.Count;

    /// <summary>
    /// Records <paramref name="block"/>; returns true with an alarm when another block was already certified
    /// at its height (and this conflict was not reported before). Blocks below the retained range are ignored.
    /// </summary>
    public bool Observe(CertifiedBlock<TCertificate> block, [NotNullWhen(true)] out ForkAlarm<TCertificate>? alarm)
    {
        alarm = null;
        if (_highest >= _retainedHeights && block.Height <= _highest - _retainedHeights)
        {
            return false;
        }

        if (!_firstAtHeight.TryGetValue(block.Height, out var first))
        {
            _firstAtHeight.Add(block.Height, block);
            if (block.Height > _highest)
            {
                _highest = block.Height;
                Prune();
            }

            return false;
        }

        if (first.BlockId == block.BlockId || !_reported.Add((block.Height, block.BlockId)))
        {
            return false;
        }

        alarm = new ForkAlarm<TCertificate>(block.Height, first, block);
        return true;
    }

    /// <summary>The lowest height where two certified chains hold different blocks, as an alarm with both certificates; null when they agree.</summary>
    public static ForkAlarm<TCertificate>? FirstConflict(ReadOnlySpan<CertifiedBlock<TCertificate>> a, ReadOnlySpan<CertifiedBlock<TCertificate>> b)
    {
        var detector = new ForkDetector<TCertificate>(int.MaxValue);
        foreach (var block in a)
        {
            detector.Observe(block, out _);
        }

        ForkAlarm<TCertificate>? earliest = null;
        foreach (var block in b)
        {
            if (detector.Observe(block, out var alarm) && (earliest is null || alarm.Height < earliest.Height))
            {
                earliest = alarm;
            }
        }

        return earliest;
    }

    private void Prune()
    {
        // Amortised: sweep only when twice the retained range has accumulated.
        if ((ulong)_firstAtHeight.Count <= 2 * _retainedHeights || _highest < _retainedHeights)
        {
            return;
        }

        var floor = _highest - _retainedHeights;
        foreach (var height in _firstAtHeight.Keys.ToList())
        {
            if (height <= floor)
            {
                _firstAtHeight.Remove(height);
            }
        }

        _reported.RemoveWhere(entry => entry.Height <= floor);
    }
}
