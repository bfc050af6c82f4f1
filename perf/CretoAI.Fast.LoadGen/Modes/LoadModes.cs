namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>The modes by command-line name.</summary>
internal static class LoadModes
{
    public static readonly string[] Names = ["ping", "resp-ping", "verify", "tx"];

    public static ILoadMode Create(LoadPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Mode switch
        {
            "ping" => new PingMode(plan),
            "resp-ping" => new RespPingMode(plan),
            "verify" => new VerifyMode(plan),
            "tx" => new TxMode(plan),
            _ => throw new LoadGenException($"unknown mode '{plan.Mode}'; expected one of {string.Join(", ", Names)}"),
        };
    }
}
