namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// The consensus messages this node sent in its current and previous round (its proposal, votes,
/// timeouts), kept so they can be sent again to a validator whose link comes up later. A link that
/// is down does not queue (a down peer must not grow our memory), so what was sent to a peer
/// before our link to it was up is lost. At a cluster's start that was the first round's proposal
/// and votes; the previous round is kept too because a late peer needs its votes to form the
/// certificate that lets it lead the current round.
/// </summary>
/// <remarks>
/// Used by the consensus thread only. Each kept payload holds one reference, released when its
/// round is two behind, when more than <see cref="Capacity"/> are kept (the oldest goes), or on
/// <see cref="Clear"/>. Sending a message twice is harmless: the engine ignores what it already has.
/// </remarks>
internal sealed class RoundMessages
{
    /// <summary>The destination of a message sent to every other validator.</summary>
    public const int Everyone = -1;

    /// <summary>Most messages kept; two rounds send a handful.</summary>
    public const int Capacity = 32;

    private readonly List<(ulong Round, int To, (byte Kind, ulong Round) Key, SharedPayload Payload)> _kept = [];
    private ulong _round;

    /// <summary>The current round: messages are kept for it and the one before.</summary>
    public ulong Round => _round;

    /// <summary>Messages kept.</summary>
    public int Count => _kept.Count;

    /// <summary>Moves to <paramref name="round"/> (rounds only go up): messages of rounds before <paramref name="round"/> − 1 are released.</summary>
    public void EnterRound(ulong round)
    {
        if (round <= _round)
        {
            return;
        }

        _round = round;
        var kept = 0;
        for (var i = 0; i < _kept.Count; i++)
        {
            var item = _kept[i];
            if (item.Round + 1 >= round)
            {
                _kept[kept++] = item;
            }
            else
            {
                item.Payload.Release();
            }
        }

        _kept.RemoveRange(kept, _kept.Count - kept);
    }

    /// <summary>
    /// Keeps a reference to <paramref name="payload"/>, sent in the current round to validator
    /// <paramref name="to"/> or <see cref="Everyone"/>. A message with a <paramref name="key"/> (kind
    /// and round; kind 0 for none) replaces a kept one with the same key and destination: a timeout
    /// broadcast again at every timer firing of a stalled round is kept once, not until it pushes
    /// the round's proposal and votes out.
    /// </summary>
    public void Keep(int to, SharedPayload payload, (byte Kind, ulong Round) key = default)
    {
        payload.AddReference();
        if (key.Kind != 0)
        {
            for (var i = 0; i < _kept.Count; i++)
            {
                if (_kept[i].To == to && _kept[i].Key == key)
                {
                    _kept[i].Payload.Release();
                    _kept[i] = (_round, to, key, payload);
                    return;
                }
            }
        }

        _kept.Add((_round, to, key, payload));
        if (_kept.Count > Capacity)
        {
            _kept[0].Payload.Release();
            _kept.RemoveAt(0);
        }
    }

    /// <summary>The kept messages meant for validator <paramref name="index"/>, oldest first: every broadcast and those sent to it.</summary>
    public IEnumerable<SharedPayload> For(int index)
    {
        foreach (var (_, to, _, payload) in _kept)
        {
            if (to == Everyone || to == index)
            {
                yield return payload;
            }
        }
    }

    /// <summary>Releases every kept message.</summary>
    public void Clear()
    {
        foreach (var (_, _, _, payload) in _kept)
        {
            payload.Release();
        }

        _kept.Clear();
    }
}
