using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace CretoAI.Fast.Node.Hosting;

/// <summary>
/// An options monitor over one value that never changes: the daemon's settings are read and
/// validated once, before the host is built. Registered as a closed type, so the container does
/// not build OptionsMonitor&lt;T&gt; and its helpers at run time (costly under NativeAOT).
/// </summary>
internal sealed class FixedOptionsMonitor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
