namespace CretoAI.Fast.Reputation.Tests;

internal static class TestAssembly
{
}
