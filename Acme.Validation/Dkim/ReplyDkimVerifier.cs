using Acme.Validation.Identifiers;
using Acme.Validation.Outcomes;
using MimeKit;
using MimeKit.Cryptography;

namespace Acme.Validation.Dkim;

/// <summary>
/// Verifies the DKIM signatures of an RFC 8823 response email (requirements §1.7 step 3). A
/// signature counts only if it parses, uses rsa-sha256 or ed25519-sha256, has no <c>l=</c>, is
/// within its time window, is made by exactly the From domain, signs the required headers and
/// every instance of the headers relied upon, uses a key of acceptable size, and verifies.
/// </summary>
/// <remarks>
/// The message must be the one parsed from the raw bytes as received: never verify a message
/// that was modified or re-serialized (RFC 6376 §3.4).
/// </remarks>
public sealed class ReplyDkimVerifier
{
    private readonly IDkimKeyLookup _lookup;
    private readonly DkimPolicy _policy;
    private readonly TimeProvider _time;
    private readonly DkimKeyCache? _keys;

    /// <summary>Creates the verifier.</summary>
    /// <param name="lookup">The TXT lookup of DKIM keys.</param>
    /// <param name="policy">The algorithms, key sizes and header coverage accepted.</param>
    /// <param name="time">The clock for x= (signature expiry).</param>
    /// <param name="keys">Parsed keys shared between verifications (the server keeps one); null parses every key.</param>
    public ReplyDkimVerifier(IDkimKeyLookup lookup, DkimPolicy policy, TimeProvider time, DkimKeyCache? keys = null)
    {
        _lookup = lookup ?? throw new ArgumentNullException(nameof(lookup));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _keys = keys;
    }

    /// <summary>
    /// Examines every DKIM-Signature header. Succeeds with the first signature that passes every
    /// check; otherwise fails with <see cref="FailureKind.Unauthorized"/> and a detail naming each
    /// signature's reason, or <see cref="FailureKind.Dns"/> when every signature failed only
    /// because its key could not be looked up right now.
    /// </summary>
    public async Task<ValidationOutcome<DkimPass>> VerifyAsync(MimeMessage message, NormalizedMailbox from, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(from);

        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToArray();
        if (signatures.Length == 0)
        {
            // RFC 8823 §3.2 item 9: the response MUST be DKIM-signed.
            return ValidationOutcome<DkimPass>.Fail(FailureKind.Unauthorized, "no DKIM-Signature header: the reply is unsigned (RFC 8823 §3.2 item 9)");
        }

        var verifier = new DkimVerifier(new DkimKeyLocator(_lookup, _policy.MinimumRsaKeyBits, _keys))
        {
            MinimumRsaKeyLength = _policy.MinimumRsaKeyBits,
        };
        verifier.Disable(DkimSignatureAlgorithm.RsaSha1); // RFC 8301 §3.1 (already MimeKit's default)

        var reasons = new List<string>();
        var allTemporary = true;
        foreach (var header in signatures)
        {
            var (pass, reason, temporary) = await CheckOneAsync(verifier, message, header, from, ct).ConfigureAwait(false);
            if (pass is not null)
            {
                return ValidationOutcome<DkimPass>.Success(pass);
            }

            reasons.Add(reason!);
            allTemporary &= temporary;
        }

        var detail = signatures.Length == 1
            ? $"the DKIM signature does not pass: {reasons[0]}"
            : $"none of the {signatures.Length} DKIM signatures passes: " + string.Join("; ", reasons.Select((r, i) => $"signature {i + 1}: {r}"));
        return ValidationOutcome<DkimPass>.Fail(allTemporary ? FailureKind.Dns : FailureKind.Unauthorized, detail);
    }

    private async Task<(DkimPass? Pass, string? Reason, bool Temporary)> CheckOneAsync(
        DkimVerifier verifier, MimeMessage message, Header header, NormalizedMailbox from, CancellationToken ct)
    {
        var tags = DkimTagList.TryParse(header.Value, out var parseError);
        if (tags is null)
        {
            return (null, $"the DKIM-Signature header is malformed: {parseError}", false);
        }

        var d = tags["d"];
        var label = $"DKIM signature d={d ?? "(none)"}";
        var algorithm = tags["a"]?.ToLowerInvariant();

        var reason = DkimSignatureRules.CheckAlgorithm(algorithm);
        if (reason is null && tags.Has("l"))
        {
            // RFC 6376 §8.2: l= lets anyone append unsigned text, such as a forged ACME block.
            reason = "the signature uses l=, which lets unsigned text be appended (RFC 6376 §8.2)";
        }

        reason ??= DkimSignatureRules.CheckTimes(tags, _time.GetUtcNow(), _policy.AllowedClockSkew);

        var domain = DkimSignatureRules.NormalizeDomain(d);
        var selector = tags["s"];
        if (reason is null && domain is null)
        {
            reason = d is null ? "the signature has no d= tag" : $"d={d} is not a valid domain";
        }
        else if (reason is null && string.IsNullOrWhiteSpace(selector))
        {
            reason = "the signature has no s= tag";
        }

        // RFC 8823 §3.2 item 9: d= MUST be the same domain as the From domain; a parent does not count.
        if (reason is null && !string.Equals(domain, from.Domain, StringComparison.Ordinal))
        {
            return (null, $"{label} does not match the From domain {from.Domain} (RFC 8823 §3.2 item 9 requires the same domain)", false);
        }

        var signed = DkimSignatureRules.SignedHeaderNames(tags["h"]);
        reason ??= DkimSignatureRules.CheckCoverage(signed, message, _policy.HeaderCoverage);
        if (reason is not null)
        {
            return (null, $"{label}: {reason}", false);
        }

        try
        {
            // RFC 6376 §6.1.3: the body hash and header signature must verify.
            var ok = await verifier.VerifyAsync(FormatOptions.Default.Clone(), message, header, ct).ConfigureAwait(false);
            return ok
                ? (new DkimPass(domain!, selector!.Trim(), algorithm!, signed), null, false)
                : (null, $"{label} s={selector} does not verify: the body or signed headers were changed after signing, or the key does not match", false);
        }
        catch (DkimKeyLookupException e)
        {
            return (null, $"{label}: {e.Message}", e.IsTemporary);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (FormatException e)
        {
            return (null, $"{label}: the DKIM-Signature header is malformed: {e.Message}", false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Any other parsing or crypto error in MimeKit or BouncyCastle is a failed signature, not a crash.
            return (null, $"{label}: the signature could not be checked: {e.Message}", false);
        }
    }
}
