/**
 * Area under the ROC curve of scores for a binary outcome, as the Mann–Whitney probability that a random positive
 * scores above a random negative (ties count one half). Null when either class is empty.
 */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number | null {
  if (scores.length !== positive.length)
    throw new RangeError(`rocAuc: ${scores.length} scores for ${positive.length} outcomes`);
  const order = scores.map((s, i) => i).sort((a, b) => scores[a] - scores[b]);
  // Mid-ranks (1-based) over tied groups, then the rank-sum statistic of the positives.
  const ranks = new Float64Array(scores.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    for (let k = start; k <= end; k++) ranks[order[k]] = (start + end) / 2 + 1;
    start = end + 1;
  }
  let nPos = 0;
  let rankSum = 0;
  positive.forEach((p, i) => {
    if (p) {
      nPos++;
      rankSum += ranks[i];
    }
  });
  const nNeg = scores.length - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
