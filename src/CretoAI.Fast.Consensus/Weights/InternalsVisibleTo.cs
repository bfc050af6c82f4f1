using System.Runtime.CompilerServices;

// The kernel switch (force scalar / a given vector width) is internal: only the property tests and the
// benchmarks need to pick a path; production code always takes the fastest one the CPU supports.
[assembly: InternalsVisibleTo("CretoAI.Fast.Consensus.Tests")]
[assembly: InternalsVisibleTo("CretoAI.Fast.Benchmarks")]
