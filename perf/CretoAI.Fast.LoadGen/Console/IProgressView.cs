using CretoAI.Fast.LoadGen.Engine;

namespace CretoAI.Fast.LoadGen.Console;

/// <summary>Shows a run while it happens: <c>body</c> receives the callback to hand snapshots to.</summary>
internal interface IProgressView
{
    Task<T> RunAsync<T>(Func<Action<LiveSnapshot>, Task<T>> body);
}
