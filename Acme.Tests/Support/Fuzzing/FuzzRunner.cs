using CsCheck;

namespace Acme.Tests.Support.Fuzzing;

/// <summary>
/// Runs a property over a fixed, seeded sequence of generated inputs: input <c>i</c> comes from the
/// CsCheck PCG (stream <c>i</c>, seed <c>baseSeed</c>), so every run, here or in CI, tries the same
/// inputs. On the first failure it reports that input's CsCheck seed and hands it to CsCheck's
/// <c>Sample</c>, which replays it first and then shrinks it. Setting <c>CsCheck_Seed</c> replays one
/// input by itself.
/// </summary>
public static class FuzzRunner
{
    private const int ShrinkIterations = 300;

    public static void Run<T>(Gen<T> gen, Action<T> property, int iterations, ulong baseSeed, Func<T, string>? print = null)
    {
        foreach (var (seed, input) in Inputs(gen, iterations, baseSeed))
        {
            try
            {
                property(input);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                string shrunk;
                try
                {
                    gen.Sample(property, seed: seed, iter: ShrinkIterations, threads: 1, print: print);
                    shrunk = "the input did not fail again when replayed";
                }
                catch (CsCheckException shrink)
                {
                    shrunk = shrink.Message;
                }

                throw Failure(seed, print?.Invoke(input) ?? Check.Print(input), e, shrunk);
            }
        }
    }

    public static async Task RunAsync<T>(Gen<T> gen, Func<T, Task> property, int iterations, ulong baseSeed, Func<T, string>? print = null)
    {
        foreach (var (seed, input) in Inputs(gen, iterations, baseSeed))
        {
            try
            {
                await property(input);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // No shrinking over HTTP: server state moves on, so a replay is a new experiment.
                throw Failure(seed, print?.Invoke(input) ?? Check.Print(input), e, "not shrunk (HTTP)");
            }
        }
    }

    private static IEnumerable<(string Seed, T Input)> Inputs<T>(Gen<T> gen, int iterations, ulong baseSeed)
    {
        if (Check.Seed is { Length: > 0 } replay)
        {
            yield return (replay, gen.Generate(PCG.Parse(replay), null!, out _));
            yield break;
        }

        for (var i = 0; i < iterations; i++)
        {
            var pcg = new PCG((uint)i, baseSeed);
            var seed = pcg.ToString();
            yield return (seed, gen.Generate(pcg, null!, out _));
        }
    }

    private static AssertionException Failure(string seed, string input, Exception cause, string shrunk) =>
        new($"Fuzz input failed; replay it with CsCheck_Seed={seed}{Environment.NewLine}" +
            $"input: {input}{Environment.NewLine}failure: {cause}{Environment.NewLine}shrinking: {shrunk}");
}
