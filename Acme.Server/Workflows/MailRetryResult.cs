namespace Acme.Server.Workflows;

/// <summary>The outcome of <see cref="ChallengeMailRetry.RetryAsync"/>, with the reason for a refusal.</summary>
public sealed record MailRetryResult(bool Requeued, string Detail);
