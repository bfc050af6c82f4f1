using CretoAI.Fast.LoadGen;

// Socket continuations inline on the epoll thread, as cretoai-fast does for itself: the same client
// settings for our node and for redis-server. Must be set before the first socket exists.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

return await LoadGenCommand.InvokeAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
