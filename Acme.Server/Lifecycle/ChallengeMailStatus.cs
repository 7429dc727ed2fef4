namespace Acme.Server.Lifecycle;

/// <summary>
/// A challenge mail in the outbox: queued → sending (claimed by one sender, with a lease) → sent, or back
/// to queued (retry), or failed; a claim whose lease ran out (its sender died) is claimed again.
/// </summary>
public enum ChallengeMailStatus { Queued, Sending, Sent, Failed }
