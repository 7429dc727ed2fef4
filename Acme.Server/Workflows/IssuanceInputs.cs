using Acme.Server.Storage;
using Acme.Validation.Csr;
using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using Acme.Validation.Profiles;

namespace Acme.Server.Workflows;

/// <summary>What issuance needs for an order: the validated CSR, the order's mailboxes and its profile.</summary>
/// <param name="Csr">The CSR, validated against the order (RFC 8823 §3 step 8).</param>
/// <param name="Mailboxes">The order's mailboxes in SAN order.</param>
/// <param name="Profile">The order's certificate profile.</param>
public sealed record IssuanceInputs(ValidatedCsr Csr, IReadOnlyList<NormalizedMailbox> Mailboxes, CertificateProfile Profile)
{
    /// <summary>
    /// The checks finalize makes before an order may be issued, and recovery makes again on the stored
    /// CSR: the mailboxes still pass the grammar, the CSR matches them (RFC 8555 §7.4), the profile
    /// is offered and the key usage can be issued. Failures are BadCsr, InvalidProfile or RejectedIdentifier.
    /// </summary>
    public static ValidationOutcome<IssuanceInputs> Check(OrderRow order, byte[] csrDer, byte[] accountKeySpki, bool tolerateDnsNamesEqualToMailboxes)
    {
        var mailboxes = new List<NormalizedMailbox>();
        foreach (var stored in ResourceMapper.Mailboxes(order))
        {
            var mailbox = MailboxNormalizer.Normalize(stored);
            if (!mailbox.IsSuccess)
            {
                return mailbox.Failure!;
            }

            mailboxes.Add(mailbox.Value!);
        }

        var validator = new CsrValidator(new CsrPolicy { TolerateDnsNamesEqualToMailboxes = tolerateDnsNamesEqualToMailboxes });
        var csr = validator.Validate(csrDer, mailboxes, accountKeySpki);
        if (!csr.IsSuccess)
        {
            return csr.Failure!;
        }

        if (!CertificateProfiles.TryGet(order.Profile, out var profile))
        {
            return new ValidationFailure(FailureKind.InvalidProfile, $"The order's profile '{order.Profile}' is no longer offered");
        }

        var usage = KeyUsagePolicy.Decide(csr.Value!.KeyKind, csr.Value.Usage, profile);
        return usage.IsSuccess
            ? ValidationOutcome<IssuanceInputs>.Success(new IssuanceInputs(csr.Value, mailboxes, profile))
            : new ValidationFailure(FailureKind.BadCsr, usage.Failure!.Detail);
    }
}
