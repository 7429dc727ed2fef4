using CsCheck;

namespace Acme.Tests.Support.Fuzzing;

/// <summary>What a <see cref="ByteMutation"/> does at its position.</summary>
public enum MutationKind
{
    FlipBit,
    InsertBrokenUtf8,
    ReplaceWithBrokenUtf8,
    Delete,
    Duplicate,
    Truncate,
    InsertSpecial,
}

/// <summary>
/// One byte-level change at a relative position (0..1 of the length), so the same mutation applies
/// to inputs of any size and prints readably when a fuzz input fails.
/// </summary>
public sealed record ByteMutation(MutationKind Kind, double Position, int Argument)
{
    private static readonly byte[] Specials = "\"\\{}[],:.0-e\0\n"u8.ToArray();

    public static readonly Gen<ByteMutation> Gen = CsCheck.Gen.Select(CsCheck.Gen.Enum<MutationKind>(), CsCheck.Gen.Double[0, 1], CsCheck.Gen.Int[0, 255])
        .Select((kind, position, argument) => new ByteMutation(kind, position, argument));

    public byte[] Apply(byte[] input)
    {
        var at = (int)(Position * input.Length);
        var bytes = input.ToList();
        var broken = FuzzJson.BrokenUtf8[Argument % FuzzJson.BrokenUtf8.Length];
        switch (Kind)
        {
            case MutationKind.FlipBit when at < bytes.Count:
                bytes[at] ^= (byte)(1 << (Argument % 8));
                break;
            case MutationKind.InsertBrokenUtf8:
                bytes.InsertRange(at, broken);
                break;
            case MutationKind.ReplaceWithBrokenUtf8 when at < bytes.Count:
                bytes.RemoveAt(at);
                bytes.InsertRange(at, broken);
                break;
            case MutationKind.Delete when at < bytes.Count:
                bytes.RemoveRange(at, Math.Min(1 + (Argument % 8), bytes.Count - at));
                break;
            case MutationKind.Duplicate when at < bytes.Count:
                bytes.InsertRange(at, bytes.Skip(at).Take(1 + (Argument % 16)).ToList());
                break;
            case MutationKind.Truncate:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case MutationKind.InsertSpecial:
                bytes.Insert(at, Specials[Argument % Specials.Length]);
                break;
        }

        return [.. bytes];
    }
}
