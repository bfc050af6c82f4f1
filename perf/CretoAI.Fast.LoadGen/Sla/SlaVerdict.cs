namespace CretoAI.Fast.LoadGen.Sla;

/// <summary>One line of the verdict table: one criterion of the SLA checked against one step.</summary>
public sealed record SlaVerdict(int Step, string Criterion, string Limit, string Measured, bool Met);
