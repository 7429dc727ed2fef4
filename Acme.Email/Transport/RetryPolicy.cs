namespace Acme.Email.Transport;

/// <summary>Exponential backoff for failed sends: 10 s, 20 s, 40 s, … capped at 15 minutes.</summary>
public static class RetryPolicy
{
    /// <summary>The delay before the first retry.</summary>
    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(10);

    /// <summary>The largest delay ever returned.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>The largest extra fraction added by jitter (0.25 = up to 25 % longer).</summary>
    public const double MaxJitterFraction = 0.25;

    /// <summary>The delay before retry number <paramref name="attempt"/>, without jitter.</summary>
    /// <param name="attempt">1 for the first retry, 2 for the second, ….</param>
    /// <returns>10 s × 2^(attempt-1), at most 15 minutes.</returns>
    public static TimeSpan NextDelay(int attempt) => NextDelay(attempt, 0);

    /// <summary>The delay before retry number <paramref name="attempt"/> with a caller-supplied jitter.</summary>
    /// <param name="attempt">1 for the first retry, 2 for the second, ….</param>
    /// <param name="jitter">A value in [0, 1] (e.g. <c>Random.Shared.NextDouble()</c>; fixed in tests) scaling an extra
    /// of up to <see cref="MaxJitterFraction"/> of the delay.</param>
    /// <returns>The delay, never more than <see cref="MaxDelay"/>.</returns>
    public static TimeSpan NextDelay(int attempt, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (double.IsNaN(jitter) || jitter is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "Jitter must be in [0, 1].");
        }

        var exponent = Math.Min(attempt - 1, 20);
        var seconds = BaseDelay.TotalSeconds * Math.Pow(2, exponent) * (1 + (MaxJitterFraction * jitter));
        return seconds >= MaxDelay.TotalSeconds ? MaxDelay : TimeSpan.FromSeconds(seconds);
    }
}
