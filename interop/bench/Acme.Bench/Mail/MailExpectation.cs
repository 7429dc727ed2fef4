namespace Acme.Bench.Mail;

/// <summary>A registered wait for one challenge mail; disposing it gives up waiting.</summary>
public sealed class MailExpectation(Task<ChallengeMail> mail, Action cancel) : IDisposable
{
    /// <summary>Completes when the mail is seen.</summary>
    public Task<ChallengeMail> Mail => mail;

    /// <inheritdoc />
    public void Dispose() => cancel();
}
