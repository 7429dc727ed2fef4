using Acme.Bench.Mail;
using Acme.Bench.Protocol;

namespace Acme.Bench.Issuance;

/// <summary>
/// The RFC 8823 flow against our server: an <c>email</c> identifier, the email-reply-00 challenge answered
/// through the file transport (challenge mail read from the outgoing folder, DKIM-signed reply dropped into
/// incoming/new), a CSR with the mailbox as rfc822Name.
/// </summary>
public sealed class MailboxIssuanceFlow(ChallengeMailWatcher mails, ReplyWriter replies, string userDomain, TimeSpan pollMax) : IIssuanceFlow
{
    /// <inheritdoc />
    public async Task<StepTimes> IssueAsync(AcmeSession session, string label, CancellationToken ct)
    {
        var mailbox = $"{label}@{userDomain}";
        var times = new StepTimes();
        var order = await OrderRequests.CreateAsync(session, "email", mailbox, ct);
        times.End(Steps.NewOrder);

        // Registered before the authorization fetch that queues the mail, so it cannot be missed.
        using var expectation = mails.Expect(mailbox);
        var challenge = await OrderRequests.ChallengeAsync(session, order.AuthorizationUrl, "email-reply-00", ct);
        times.End(Steps.Authorization);

        var mail = await expectation.Mail.WaitAsync(ct);
        times.EndAt(Steps.MailWait, mail.SeenAt);

        var challengeUrl = challenge["url"]?.GetValue<string>();
        var tokenPart2 = challenge["token"]?.GetValue<string>();
        var from = challenge["from"]?.GetValue<string>();
        if (challengeUrl is null || tokenPart2 is null || from is null)
        {
            throw new AcmeFailure(Steps.Authorization, "email-reply-00 challenge without url, token or from");
        }

        if (!string.Equals(from, mail.From, StringComparison.OrdinalIgnoreCase))
        {
            throw new AcmeFailure(Steps.MailWait, $"the mail to {mailbox} comes from {mail.From}, the challenge names {from}");
        }

        await replies.WriteAsync(mailbox, mail, ReplyWriter.Digest(mail.TokenPart1, tokenPart2, session.Key.Thumbprint), ct);
        times.Restart(); // reply built and signed (client work); the server can read it from now on
        await OrderRequests.RespondAndWaitAsync(session, challengeUrl, order.AuthorizationUrl, pollMax, ct);
        times.End(Steps.Valid);

        var certificateUrl = await OrderRequests.FinalizeAsync(session, order, CsrFactory.ForMailbox(mailbox), pollMax, ct);
        times.End(Steps.Finalize);

        await OrderRequests.DownloadAsync(session, certificateUrl, ct);
        times.End(Steps.Download);
        return times.Finish();
    }
}
