package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;

/**
 * A prepared certificate P_m (OSDI'99 §4.4): a PRE-PREPARE and 2f matching PREPAREs from
 * distinct backups, proving that request batch m was prepared at (v, n). Carried in VIEW-CHANGE.
 *
 * @param prePrepare the PRE-PREPARE for (v, n, d)
 * @param prepares 2f PREPAREs for (v, n, d) from distinct backups
 */
public record PreparedCertificate(PrePrepare prePrepare, List<Prepare> prepares) {
  public PreparedCertificate {
    Objects.requireNonNull(prePrepare, "prePrepare");
    prepares = List.copyOf(Objects.requireNonNull(prepares, "prepares"));
  }
}
