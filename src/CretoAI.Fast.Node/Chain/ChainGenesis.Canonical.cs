using System.Buffers.Binary;
using System.Text;

namespace CretoAI.Fast.Node.Chain;

public sealed partial class ChainGenesis
{
    /// <summary>The domain string that opens the canonical encoding; a new layout gets a new version.</summary>
    public const string CanonicalDomain = "cretoai-fast/genesis/v1";

    /// <summary>
    /// Every genesis parameter in a fixed little-endian layout: what the chain id hashes. Independent
    /// of the JSON text (whitespace, key order, comments, number spelling). Layout (docs/operations.md):
    /// <list type="number">
    /// <item>the 23 ASCII bytes of <see cref="CanonicalDomain"/>;</item>
    /// <item>chain name: u16 byte length, UTF-8 bytes;</item>
    /// <item>genesis time ms u64; base round timeout ms i64; max transactions per block u32;</item>
    /// <item>ledger rules: u32 length, then <c>LedgerRules.ToCanonicalBytes()</c> (stake, reputation,
    /// voting weight and adaptive quorum rules, epoch length, participation window, downtime windows);</item>
    /// <item>validator count u32, then per validator in genesis order: name (u16 length, UTF-8),
    /// public key (u32 length, bytes), stake u64, balance u64, reputation ppm u32.</item>
    /// </list>
    /// </summary>
    /// <exception cref="GenesisException">The parameters are invalid (<see cref="Validate"/>).</exception>
    public byte[] ToCanonicalBytes()
    {
        Validate();
        var ledger = LedgerRules.ToCanonicalBytes();
        var size = CanonicalDomain.Length + 2 + Encoding.UTF8.GetByteCount(ChainName) + 8 + 8 + 4 + 4 + ledger.Length + 4;
        foreach (var v in Validators)
        {
            size += 2 + Encoding.UTF8.GetByteCount(v.Name) + 4 + v.PublicKey.Length + 8 + 8 + 4;
        }

        var bytes = new byte[size];
        var writer = new CanonicalWriter(bytes);
        writer.Ascii(CanonicalDomain);
        writer.Text(ChainName);
        writer.U64(GenesisTimeMs);
        writer.I64(BaseRoundTimeoutMs);
        writer.U32((uint)MaxTransactionsPerBlock);
        writer.U32((uint)ledger.Length);
        writer.Bytes(ledger);
        writer.U32((uint)Validators.Count);
        foreach (var v in Validators)
        {
            writer.Text(v.Name);
            writer.U32((uint)v.PublicKey.Length);
            writer.Bytes(v.PublicKey.Span);
            writer.U64(v.Stake);
            writer.U64(v.Balance);
            writer.U32(v.ReputationPpm);
        }

        if (writer.Offset != bytes.Length)
        {
            throw new InvalidOperationException($"Canonical genesis size mismatch: computed {bytes.Length}, wrote {writer.Offset}.");
        }

        return bytes;
    }

    private ref struct CanonicalWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Offset { get; private set; }

        public void Ascii(string text) => Offset += Encoding.ASCII.GetBytes(text, _destination[Offset..]);

        public void Text(string text)
        {
            var length = Encoding.UTF8.GetByteCount(text);
            BinaryPrimitives.WriteUInt16LittleEndian(_destination[Offset..], checked((ushort)length));
            Offset += 2;
            Offset += Encoding.UTF8.GetBytes(text, _destination[Offset..]);
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_destination[Offset..]);
            Offset += bytes.Length;
        }

        public void U32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_destination[Offset..], value);
            Offset += 4;
        }

        public void U64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_destination[Offset..], value);
            Offset += 8;
        }

        public void I64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_destination[Offset..], value);
            Offset += 8;
        }
    }
}
