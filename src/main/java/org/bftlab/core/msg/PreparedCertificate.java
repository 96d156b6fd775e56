package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;

/**
 * A prepared certificate P_m (OSDI'99 §4.4): a PRE-PREPARE and 2f matching PREPAREs from
 * distinct backups, proving that the batch with digest d was prepared at (v, n). Carried in
 * VIEW-CHANGE. The PRE-PREPARE is carried as its {@link PrePrepareHeader} (digest, not batch;
 * TOCS'02 §5.1), so a certificate takes at most (2f+1) × {@link PrePrepareHeader#MAX_CBOR_BYTES}
 * bytes whatever the batch size.
 *
 * @param prePrepare the PRE-PREPARE ⟨v, n, d⟩ header, signed by primary(v)
 * @param prepares 2f PREPAREs for (v, n, d) from distinct backups
 */
public record PreparedCertificate(PrePrepareHeader prePrepare, List<Prepare> prepares) {
  public PreparedCertificate {
    Objects.requireNonNull(prePrepare, "prePrepare");
    prepares = List.copyOf(Objects.requireNonNull(prepares, "prepares"));
  }
}
