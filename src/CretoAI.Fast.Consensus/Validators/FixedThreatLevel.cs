using CretoAI.Fast.Consensus.Weights;

namespace CretoAI.Fast.Consensus.Validators;

/// <summary>A provider that answers one level for every height; <see cref="Normal"/> is the default.</summary>
public sealed class FixedThreatLevel : IThreatLevelProvider
{
    public FixedThreatLevel(ThreatLevel level) => Level = level;

    public static FixedThreatLevel Normal { get; } = new(ThreatLevel.Normal);

    public ThreatLevel Level { get; }

    public ThreatLevel LevelAt(ulong height) => Level;
}
