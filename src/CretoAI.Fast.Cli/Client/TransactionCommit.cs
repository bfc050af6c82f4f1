using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Cli.Client;

/// <summary>Where and how a submitted transaction was committed.</summary>
internal readonly record struct TransactionCommit(ulong Height, Hash32 BlockHash, TransactionResultEntry Entry);
