namespace CretoAI.Fast.Simulation;

internal enum SimulationEventKind
{
    Deliver,
    Timer,
    Crash,
    Restart,
    Repartition,
    Heal,
    Offer,
}
