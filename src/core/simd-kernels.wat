;; WebAssembly SIMD kernels for the loops that dominate PCA, k-means and t-SNE (see simd-kernels.ts).
;; Rebuild the embedded binary with `npm run kernels` after editing.
(module
  (memory (export "memory") 1)

  ;; Squared Euclidean distance between the d doubles at byte offsets $a and $b. The additions
  ;; happen in the same order as squaredDistance() in matrix.ts, so the two agree to the bit.
  (func $squared_distance (param $a i32) (param $b i32) (param $d i32) (result f64)
    (local $end i32) (local $blockEnd i32)
    (local $even v128) (local $odd v128) (local $x v128) (local $s0 f64) (local $t f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $d) (i32.const 3))))
    (local.set $blockEnd (i32.add (local.get $a) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 3))))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $a) (local.get $blockEnd)))
        (local.set $x (f64x2.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $even (f64x2.add (local.get $even) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $x (f64x2.sub (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (local.set $odd (f64x2.add (local.get $odd) (f64x2.mul (local.get $x) (local.get $x))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $blocks)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $even)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $t (f64.sub (f64.load (local.get $a)) (f64.load (local.get $b))))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $t) (local.get $t))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $tail)))
    (f64.add
      (f64.add
        (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $even)))
        (f64x2.extract_lane 0 (local.get $odd)))
      (f64x2.extract_lane 1 (local.get $odd))))

  ;; out[t] = squared distance from row t of data (t < n) to the d doubles at $point.
  (func (export "squared_distances") (param $data i32) (param $n i32) (param $d i32) (param $point i32) (param $out i32)
    (local $i i32) (local $row i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (local.set $row (local.get $data))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (f64.store (local.get $out) (call $squared_distance (local.get $row) (local.get $point) (local.get $d)))
        (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $points))))

  ;; One k-means++ candidate against every point: out[i] = min(closest[i], |x_i − candidate|²),
  ;; skipping the distance when the candidate is at least twice as far from the point's nearest
  ;; centre as the point is (gaps[c] = squared distance from the candidate to centre c).
  ;; Returns the sum of out. Offsets are in bytes; nearest holds i32 centre indices.
  (func (export "candidate_pass")
    (param $data i32) (param $n i32) (param $d i32) (param $candidate i32)
    (param $closest i32) (param $nearest i32) (param $gaps i32) (param $out i32) (result f64)
    (local $i i32) (local $row i32) (local $rowBytes i32) (local $current f64) (local $dist f64) (local $total f64)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (local.set $row (local.get $data))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $current (f64.load (local.get $closest)))
        (local.set $dist (local.get $current))
        (if (f64.lt
              (f64.load (i32.add (local.get $gaps) (i32.shl (i32.load (local.get $nearest)) (i32.const 3))))
              (f64.mul (f64.const 4) (local.get $current)))
          (then
            (local.set $dist (f64.min (local.get $current)
              (call $squared_distance (local.get $row) (local.get $candidate) (local.get $d))))))
        (f64.store (local.get $out) (local.get $dist))
        (local.set $total (f64.add (local.get $total) (local.get $dist)))
        (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $closest (i32.add (local.get $closest) (i32.const 8)))
        (local.set $nearest (i32.add (local.get $nearest) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $points)))
    (local.get $total))

  ;; One Lloyd assignment pass with Elkan's bounds, the point loop of lloyd() in kmeans.ts (which
  ;; documents the bounds). Per point i: the true upper bound is
  ;; upper[i] + drift[own] and the true lower bound on centre c is lower[i·k + c] − drift[c]. A
  ;; point that changes cluster moves its coordinates between the running sums and counts.
  ;; Offsets are in bytes; assignments and counts hold i32. Returns how many points changed cluster.
  (func (export "elkan_pass")
    (param $data i32) (param $n i32) (param $d i32) (param $k i32) (param $centroids i32)
    (param $assignments i32) (param $upper i32) (param $lower i32)
    (param $drift i32) (param $halfGap i32) (param $gaps i32) (param $sums i32) (param $counts i32)
    (result i32)
    (local $i i32) (local $c i32) (local $was i32) (local $a i32) (local $row i32) (local $rowBytes i32)
    (local $bounds i32) (local $tight i32) (local $moved i32)
    (local $u f64) (local $dist f64) (local $bound f64) (local $gap f64)
    (local $j i32) (local $from i32) (local $to i32) (local $x v128)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (local.set $row (local.get $data))
    (block $pointsDone
      (loop $points
        (br_if $pointsDone (i32.ge_u (local.get $i) (local.get $n)))
        (block $nextPoint
          (local.set $was (i32.load (i32.add (local.get $assignments) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $a (local.get $was))
          (local.set $u (f64.add
            (f64.load (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3))))
            (f64.load (i32.add (local.get $drift) (i32.shl (local.get $a) (i32.const 3))))))
          (br_if $nextPoint (f64.le (local.get $u) (f64.load (i32.add (local.get $halfGap) (i32.shl (local.get $a) (i32.const 3))))))
          ;; $bounds: byte offset of lower[i·k]
          (local.set $bounds (i32.add (local.get $lower) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 3))))
          (local.set $tight (i32.const 0))
          (local.set $c (i32.const 0))
          (block $centresDone
            (loop $centres
              (br_if $centresDone (i32.ge_u (local.get $c) (local.get $k)))
              (block $nextCentre
                (br_if $nextCentre (i32.eq (local.get $c) (local.get $a)))
                ;; Skip c when its lower bound or half the gap between a and c already rules it out.
                (local.set $bound (f64.sub
                  (f64.load (i32.add (local.get $bounds) (i32.shl (local.get $c) (i32.const 3))))
                  (f64.load (i32.add (local.get $drift) (i32.shl (local.get $c) (i32.const 3))))))
                (local.set $gap (f64.load (i32.add (local.get $gaps)
                  (i32.shl (i32.add (i32.mul (local.get $a) (local.get $k)) (local.get $c)) (i32.const 3)))))
                (br_if $nextCentre (f64.le (local.get $u) (local.get $bound)))
                (br_if $nextCentre (f64.le (local.get $u) (local.get $gap)))
                (if (i32.eqz (local.get $tight))
                  (then
                    (local.set $u (f64.sqrt (call $squared_distance (local.get $row)
                      (i32.add (local.get $centroids) (i32.mul (local.get $a) (local.get $rowBytes))) (local.get $d))))
                    (f64.store (i32.add (local.get $bounds) (i32.shl (local.get $a) (i32.const 3)))
                      (f64.add (local.get $u) (f64.load (i32.add (local.get $drift) (i32.shl (local.get $a) (i32.const 3))))))
                    (local.set $tight (i32.const 1))
                    (br_if $nextCentre (f64.le (local.get $u) (local.get $bound)))
                    (br_if $nextCentre (f64.le (local.get $u) (local.get $gap)))))
                (local.set $dist (f64.sqrt (call $squared_distance (local.get $row)
                  (i32.add (local.get $centroids) (i32.mul (local.get $c) (local.get $rowBytes))) (local.get $d))))
                (f64.store (i32.add (local.get $bounds) (i32.shl (local.get $c) (i32.const 3)))
                  (f64.add (local.get $dist) (f64.load (i32.add (local.get $drift) (i32.shl (local.get $c) (i32.const 3))))))
                (if (f64.lt (local.get $dist) (local.get $u))
                  (then
                    (local.set $a (local.get $c))
                    (local.set $u (local.get $dist)))))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))
              (br $centres)))
          (f64.store (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3)))
            (f64.sub (local.get $u) (f64.load (i32.add (local.get $drift) (i32.shl (local.get $a) (i32.const 3))))))
          (br_if $nextPoint (i32.eq (local.get $a) (local.get $was)))
          (i32.store (i32.add (local.get $assignments) (i32.shl (local.get $i) (i32.const 2))) (local.get $a))
          (i32.store (i32.add (local.get $counts) (i32.shl (local.get $was) (i32.const 2)))
            (i32.sub (i32.load (i32.add (local.get $counts) (i32.shl (local.get $was) (i32.const 2)))) (i32.const 1)))
          (i32.store (i32.add (local.get $counts) (i32.shl (local.get $a) (i32.const 2)))
            (i32.add (i32.load (i32.add (local.get $counts) (i32.shl (local.get $a) (i32.const 2)))) (i32.const 1)))
          (local.set $moved (i32.add (local.get $moved) (i32.const 1)))
          ;; sums[was] −= row, sums[a] += row: two coordinates at a time, then the odd one.
          (local.set $from (i32.add (local.get $sums) (i32.mul (local.get $was) (local.get $rowBytes))))
          (local.set $to (i32.add (local.get $sums) (i32.mul (local.get $a) (local.get $rowBytes))))
          (local.set $j (i32.const 0))
          (block $pairsDone
            (loop $pairs
              (br_if $pairsDone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $rowBytes)))
              (local.set $x (v128.load (i32.add (local.get $row) (local.get $j))))
              (v128.store (i32.add (local.get $from) (local.get $j))
                (f64x2.sub (v128.load (i32.add (local.get $from) (local.get $j))) (local.get $x)))
              (v128.store (i32.add (local.get $to) (local.get $j))
                (f64x2.add (v128.load (i32.add (local.get $to) (local.get $j))) (local.get $x)))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br $pairs)))
          (if (i32.lt_u (local.get $j) (local.get $rowBytes))
            (then
              (f64.store (i32.add (local.get $from) (local.get $j))
                (f64.sub (f64.load (i32.add (local.get $from) (local.get $j))) (f64.load (i32.add (local.get $row) (local.get $j)))))
              (f64.store (i32.add (local.get $to) (local.get $j))
                (f64.add (f64.load (i32.add (local.get $to) (local.get $j))) (f64.load (i32.add (local.get $row) (local.get $j))))))))
        (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $points)))
    (local.get $moved))

  ;; out[i·outStride + j] += Σ_t a[i·aStride + t] · b[j·bStride + t] for i < m and j < p, or with
  ;; $upper only for j ≥ i − (i mod 2): the two-by-two blocks on and above the diagonal, all that
  ;; a symmetric product needs (entries just below the diagonal get written too). Two rows of a
  ;; against two of b at a time, two coordinates per SIMD lane pair: four loads for eight
  ;; products. Offsets are in bytes; strides and lengths count doubles.
  (func (export "accumulate_dots")
    (param $a i32) (param $m i32) (param $aStride i32) (param $b i32) (param $p i32) (param $bStride i32)
    (param $length i32) (param $out i32) (param $outStride i32) (param $upper i32)
    (local $i i32) (local $j i32) (local $t i32) (local $pairBytes i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $o i32)
    (local $x0 v128) (local $x1 v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $r00 f64) (local $r01 f64) (local $r10 f64) (local $r11 f64)
    (local.set $pairBytes (i32.shl (i32.and (local.get $length) (i32.const -2)) (i32.const 3)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $a0 (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $aStride)) (i32.const 3))))
        ;; An odd last row pairs with itself; its copy's results are dropped.
        (local.set $a1 (select
          (i32.add (local.get $a0) (i32.shl (local.get $aStride) (i32.const 3)))
          (local.get $a0)
          (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m))))
        (local.set $j (select (local.get $i) (i32.const 0) (local.get $upper)))
        (block $columnsDone
          (loop $columns
            (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $p)))
            (local.set $b0 (i32.add (local.get $b) (i32.shl (i32.mul (local.get $j) (local.get $bStride)) (i32.const 3))))
            (local.set $b1 (select
              (i32.add (local.get $b0) (i32.shl (local.get $bStride) (i32.const 3)))
              (local.get $b0)
              (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $p))))
            (local.set $s00 (v128.const f64x2 0 0))
            (local.set $s01 (v128.const f64x2 0 0))
            (local.set $s10 (v128.const f64x2 0 0))
            (local.set $s11 (v128.const f64x2 0 0))
            (local.set $t (i32.const 0))
            (block $pairsDone
              (loop $pairs
                (br_if $pairsDone (i32.ge_u (local.get $t) (local.get $pairBytes)))
                (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $t))))
                (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $t))))
                (local.set $y0 (v128.load (i32.add (local.get $b0) (local.get $t))))
                (local.set $y1 (v128.load (i32.add (local.get $b1) (local.get $t))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $y0))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $y1))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $y0))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $y1))))
                (local.set $t (i32.add (local.get $t) (i32.const 16)))
                (br $pairs)))
            (local.set $r00 (f64.add (f64x2.extract_lane 0 (local.get $s00)) (f64x2.extract_lane 1 (local.get $s00))))
            (local.set $r01 (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01))))
            (local.set $r10 (f64.add (f64x2.extract_lane 0 (local.get $s10)) (f64x2.extract_lane 1 (local.get $s10))))
            (local.set $r11 (f64.add (f64x2.extract_lane 0 (local.get $s11)) (f64x2.extract_lane 1 (local.get $s11))))
            ;; An odd length leaves one coordinate.
            (if (i32.and (local.get $length) (i32.const 1))
              (then
                (local.set $r00 (f64.add (local.get $r00) (f64.mul
                  (f64.load (i32.add (local.get $a0) (local.get $pairBytes))) (f64.load (i32.add (local.get $b0) (local.get $pairBytes))))))
                (local.set $r01 (f64.add (local.get $r01) (f64.mul
                  (f64.load (i32.add (local.get $a0) (local.get $pairBytes))) (f64.load (i32.add (local.get $b1) (local.get $pairBytes))))))
                (local.set $r10 (f64.add (local.get $r10) (f64.mul
                  (f64.load (i32.add (local.get $a1) (local.get $pairBytes))) (f64.load (i32.add (local.get $b0) (local.get $pairBytes))))))
                (local.set $r11 (f64.add (local.get $r11) (f64.mul
                  (f64.load (i32.add (local.get $a1) (local.get $pairBytes))) (f64.load (i32.add (local.get $b1) (local.get $pairBytes))))))))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $outStride)) (local.get $j)) (i32.const 3))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (local.get $r00)))
            (if (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $p))
              (then (f64.store offset=8 (local.get $o) (f64.add (f64.load offset=8 (local.get $o)) (local.get $r01)))))
            (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $m))
              (then
                (local.set $o (i32.add (local.get $o) (i32.shl (local.get $outStride) (i32.const 3))))
                (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (local.get $r10)))
                (if (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $p))
                  (then (f64.store offset=8 (local.get $o) (f64.add (f64.load offset=8 (local.get $o)) (local.get $r11)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $columns)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows))))

  ;; t-SNE attraction over the upper triangle of the sparse P in compressed rows (see
  ;; computeGradient() in tsne.ts): for each stored pair i < j with f = p_ij / (1 + |y_i − y_j|²),
  ;; out_i += f·(y_i − y_j) and out_j −= f·(y_i − y_j). Points are (x, y) pairs of doubles, one
  ;; SIMD lane pair each; start holds n + 1 i32 row offsets, columns i32. out is overwritten.
  (func (export "tsne_attraction")
    (param $points i32) (param $n i32) (param $start i32) (param $columns i32) (param $values i32) (param $out i32)
    (local $i i32) (local $e i32) (local $end i32) (local $j i32) (local $cell i32)
    (local $p v128) (local $d v128) (local $squares v128) (local $push v128) (local $sum v128)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $n) (i32.const 4)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (v128.load (i32.add (local.get $points) (i32.shl (local.get $i) (i32.const 4)))))
        (local.set $sum (v128.const f64x2 0 0))
        (local.set $e (i32.load (i32.add (local.get $start) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $start) (i32.shl (local.get $i) (i32.const 2)))))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (local.get $e) (local.get $end)))
            (local.set $j (i32.shl (i32.load (i32.add (local.get $columns) (i32.shl (local.get $e) (i32.const 2)))) (i32.const 4)))
            (local.set $d (f64x2.sub (local.get $p) (v128.load (i32.add (local.get $points) (local.get $j)))))
            (local.set $squares (f64x2.mul (local.get $d) (local.get $d)))
            (local.set $push (f64x2.mul (local.get $d) (f64x2.splat
              (f64.div
                (f64.load (i32.add (local.get $values) (i32.shl (local.get $e) (i32.const 3))))
                (f64.add (f64.const 1)
                  (f64.add (f64x2.extract_lane 0 (local.get $squares)) (f64x2.extract_lane 1 (local.get $squares))))))))
            (local.set $sum (f64x2.add (local.get $sum) (local.get $push)))
            (local.set $cell (i32.add (local.get $out) (local.get $j)))
            (v128.store (local.get $cell) (f64x2.sub (v128.load (local.get $cell)) (local.get $push)))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (br $pairs)))
        (local.set $cell (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4))))
        (v128.store (local.get $cell) (f64x2.add (v128.load (local.get $cell)) (local.get $sum)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Splits order[from … to − 1] (i32 point indices; points are (x, y) pairs of doubles) so that
  ;; the points whose coordinate at byte offset $axis (0 for x, 8 for y) is below $threshold come
  ;; first; returns the index where the rest start.
  (func $partition (param $points i32) (param $order i32) (param $from i32) (param $to i32) (param $axis i32) (param $threshold f64) (result i32)
    (local $low i32) (local $high i32) (local $swap i32)
    ;; Byte addresses into order, compared signed: $high may step just below the array.
    (local.set $low (i32.add (local.get $order) (i32.shl (local.get $from) (i32.const 2))))
    (local.set $high (i32.sub (i32.add (local.get $order) (i32.shl (local.get $to) (i32.const 2))) (i32.const 4)))
    (loop $swaps
      (block $lowDone
        (loop $lows
          (br_if $lowDone (i32.gt_s (local.get $low) (local.get $high)))
          (br_if $lowDone (i32.eqz (f64.lt
            (f64.load (i32.add (i32.add (local.get $points) (i32.shl (i32.load (local.get $low)) (i32.const 4))) (local.get $axis)))
            (local.get $threshold))))
          (local.set $low (i32.add (local.get $low) (i32.const 4)))
          (br $lows)))
      (block $highDone
        (loop $highs
          (br_if $highDone (i32.gt_s (local.get $low) (local.get $high)))
          (br_if $highDone (i32.eqz (f64.ge
            (f64.load (i32.add (i32.add (local.get $points) (i32.shl (i32.load (local.get $high)) (i32.const 4))) (local.get $axis)))
            (local.get $threshold))))
          (local.set $high (i32.sub (local.get $high) (i32.const 4)))
          (br $highs)))
      (if (i32.le_s (local.get $low) (local.get $high))
        (then
          (local.set $swap (i32.load (local.get $low)))
          (i32.store (local.get $low) (i32.load (local.get $high)))
          (i32.store (local.get $high) (local.get $swap))
          (local.set $low (i32.add (local.get $low) (i32.const 4)))
          (local.set $high (i32.sub (local.get $high) (i32.const 4)))
          (br $swaps))))
    (i32.shr_s (i32.sub (local.get $low) (local.get $order)) (i32.const 2)))

  ;; 1 when the points order[from … to − 1] all sit at exactly the same spot, else 0.
  (func $all_alike (param $points i32) (param $order i32) (param $from i32) (param $to i32) (result i32)
    (local $first v128) (local $t i32) (local $end i32)
    (local.set $t (i32.add (local.get $order) (i32.shl (local.get $from) (i32.const 2))))
    (local.set $end (i32.add (local.get $order) (i32.shl (local.get $to) (i32.const 2))))
    (local.set $first (v128.load (i32.add (local.get $points) (i32.shl (i32.load (local.get $t)) (i32.const 4)))))
    (block $done
      (loop $rest
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br_if $done (i32.ge_u (local.get $t) (local.get $end)))
        (if (v128.any_true (f64x2.ne (local.get $first)
              (v128.load (i32.add (local.get $points) (i32.shl (i32.load (local.get $t)) (i32.const 4))))))
          (then (return (i32.const 0))))
        (br $rest)))
    (i32.const 1))

  ;; Pushes the cell centred on ($cx, $cy) with half width $half, holding order[from … to − 1] at
  ;; depth $depth, onto the stack of pending cells at $top (40 bytes each: from, to, depth as i32,
  ;; then cx, cy, half as f64 from byte 16); an empty cell is not pushed. Returns the new top.
  (func $push_cell (param $top i32) (param $from i32) (param $to i32) (param $depth i32) (param $cx f64) (param $cy f64) (param $half f64) (result i32)
    (if (i32.eq (local.get $from) (local.get $to)) (then (return (local.get $top))))
    (i32.store (local.get $top) (local.get $from))
    (i32.store offset=4 (local.get $top) (local.get $to))
    (i32.store offset=8 (local.get $top) (local.get $depth))
    (f64.store offset=16 (local.get $top) (local.get $cx))
    (f64.store offset=24 (local.get $top) (local.get $cy))
    (f64.store offset=32 (local.get $top) (local.get $half))
    (i32.add (local.get $top) (i32.const 40)))

  ;; Lays out the t-SNE quadtree over the n points (RepulsionTree in tsne.ts; the layout is the
  ;; one tsne_repulsion walks): depth-first from the root cell centred on ($cx, $cy) with half
  ;; width $half, a cell split into its four quadrants (x ≥ centre adds 1, y ≥ centre adds 2,
  ;; empty ones dropped) while it holds two distinct points and is shallower than $maxDepth,
  ;; reordering order (i32 point indices) so that each cell's points are contiguous. Then,
  ;; children before parents, it sums the centres of mass and links skip. $pending has room for
  ;; 3·$maxDepth + 4 cells. Returns the node count, or −1 when more than $capacity are needed.
  (func (export "quadtree_build")
    (param $points i32) (param $order i32) (param $n i32) (param $nodes i32) (param $skip i32) (param $capacity i32)
    (param $pending i32) (param $maxDepth i32) (param $cx f64) (param $cy f64) (param $half f64) (result i32)
    (local $top i32) (local $from i32) (local $to i32) (local $depth i32) (local $size i32) (local $node i32)
    (local $t i32) (local $upper i32) (local $lowerRight i32) (local $upperRight i32) (local $child i32)
    (local $childNode i32) (local $sum v128) (local $count f64) (local $held f64) (local $h f64) (local $q f64)
    (local.set $top (call $push_cell (local.get $pending) (i32.const 0) (local.get $n) (i32.const 0)
      (local.get $cx) (local.get $cy) (local.get $half)))
    (block $laidOut
      (loop $cells
        (br_if $laidOut (i32.le_u (local.get $top) (local.get $pending)))
        (local.set $top (i32.sub (local.get $top) (i32.const 40)))
        (local.set $from (i32.load (local.get $top)))
        (local.set $to (i32.load offset=4 (local.get $top)))
        (local.set $depth (i32.load offset=8 (local.get $top)))
        (local.set $cx (f64.load offset=16 (local.get $top)))
        (local.set $cy (f64.load offset=24 (local.get $top)))
        (local.set $h (f64.load offset=32 (local.get $top)))
        (if (i32.eq (local.get $size) (local.get $capacity)) (then (return (i32.const -1))))
        (local.set $node (i32.add (local.get $nodes) (i32.shl (local.get $size) (i32.const 5))))
        (local.set $size (i32.add (local.get $size) (i32.const 1)))
        (f64.store offset=16 (local.get $node) (f64.convert_i32_s (i32.sub (local.get $to) (local.get $from))))
        (if (i32.or
              (i32.or (i32.eq (i32.sub (local.get $to) (local.get $from)) (i32.const 1))
                (i32.ge_s (local.get $depth) (local.get $maxDepth)))
              (call $all_alike (local.get $points) (local.get $order) (local.get $from) (local.get $to)))
          (then
            ;; A leaf: coordinate sums of its points, and −1 for its width.
            (local.set $sum (v128.const f64x2 0 0))
            (local.set $t (local.get $from))
            (block $summed
              (loop $leafPoints
                (br_if $summed (i32.ge_s (local.get $t) (local.get $to)))
                (local.set $sum (f64x2.add (local.get $sum) (v128.load (i32.add (local.get $points)
                  (i32.shl (i32.load (i32.add (local.get $order) (i32.shl (local.get $t) (i32.const 2)))) (i32.const 4))))))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $leafPoints)))
            (v128.store (local.get $node) (local.get $sum))
            (f64.store offset=24 (local.get $node) (f64.const -1))
            (br $cells)))
        (f64.store offset=24 (local.get $node) (f64.mul (local.get $h) (local.get $h)))
        (local.set $upper (call $partition (local.get $points) (local.get $order) (local.get $from) (local.get $to) (i32.const 8) (local.get $cy)))
        (local.set $lowerRight (call $partition (local.get $points) (local.get $order) (local.get $from) (local.get $upper) (i32.const 0) (local.get $cx)))
        (local.set $upperRight (call $partition (local.get $points) (local.get $order) (local.get $upper) (local.get $to) (i32.const 0) (local.get $cx)))
        (local.set $q (f64.div (local.get $h) (f64.const 2)))
        (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
        ;; Last quadrant first, so that the first is laid out next.
        (local.set $top (call $push_cell (local.get $top) (local.get $upperRight) (local.get $to) (local.get $depth)
          (f64.add (local.get $cx) (local.get $q)) (f64.add (local.get $cy) (local.get $q)) (local.get $q)))
        (local.set $top (call $push_cell (local.get $top) (local.get $upper) (local.get $upperRight) (local.get $depth)
          (f64.sub (local.get $cx) (local.get $q)) (f64.add (local.get $cy) (local.get $q)) (local.get $q)))
        (local.set $top (call $push_cell (local.get $top) (local.get $lowerRight) (local.get $upper) (local.get $depth)
          (f64.add (local.get $cx) (local.get $q)) (f64.sub (local.get $cy) (local.get $q)) (local.get $q)))
        (local.set $top (call $push_cell (local.get $top) (local.get $from) (local.get $lowerRight) (local.get $depth)
          (f64.sub (local.get $cx) (local.get $q)) (f64.sub (local.get $cy) (local.get $q)) (local.get $q)))
        (br $cells)))
    ;; Children before parents: a parent's children follow it, each after the previous one's
    ;; subtree, until they hold all its points; each child's sums become means once added.
    (local.set $t (local.get $size))
    (block $linked
      (loop $parents
        (br_if $linked (i32.eqz (local.get $t)))
        (local.set $t (i32.sub (local.get $t) (i32.const 1)))
        (local.set $node (i32.add (local.get $nodes) (i32.shl (local.get $t) (i32.const 5))))
        (local.set $child (i32.add (local.get $t) (i32.const 1)))
        (if (f64.ne (f64.load offset=24 (local.get $node)) (f64.const -1))
          (then
            (local.set $count (f64.load offset=16 (local.get $node)))
            (local.set $sum (v128.const f64x2 0 0))
            (local.set $held (f64.const 0))
            (block $added
              (loop $children
                (br_if $added (f64.ge (local.get $held) (local.get $count)))
                (local.set $childNode (i32.add (local.get $nodes) (i32.shl (local.get $child) (i32.const 5))))
                (local.set $sum (f64x2.add (local.get $sum) (v128.load (local.get $childNode))))
                (local.set $held (f64.add (local.get $held) (f64.load offset=16 (local.get $childNode))))
                (v128.store (local.get $childNode) (f64x2.div (v128.load (local.get $childNode)) (f64x2.splat (f64.load offset=16 (local.get $childNode)))))
                (local.set $child (i32.load (i32.add (local.get $skip) (i32.shl (local.get $child) (i32.const 2)))))
                (br $children)))
            (v128.store (local.get $node) (local.get $sum))))
        (i32.store (i32.add (local.get $skip) (i32.shl (local.get $t) (i32.const 2))) (local.get $child))
        (br $parents)))
    (if (local.get $size)
      (then (v128.store (local.get $nodes) (f64x2.div (v128.load (local.get $nodes)) (f64x2.splat (f64.load offset=16 (local.get $nodes)))))))
    (local.get $size))

  ;; t-SNE Barnes–Hut repulsion (see RepulsionTree in tsne.ts): for each point i = order[t], t < n,
  ;; forces_i = Σ q²·count·(y_i − centre) and the return value gains Σ q·count, over the nodes
  ;; whose squared half width is below theta2·d² (leaves store −1, so always), q = 1 / (1 + d²);
  ;; a node at distance 0 is the point's own leaf, whose other points add q = 1 and no force.
  ;; Nodes (4 doubles: centre of mass x, y, count, squared half width) are in depth-first order;
  ;; a node taken whole jumps to skip[node] (i32), the node after its subtree, else descends to
  ;; the next node. Points and forces are (x, y) pairs.
  (func (export "tsne_repulsion")
    (param $nodes i32) (param $skip i32) (param $size i32) (param $points i32) (param $order i32) (param $n i32)
    (param $theta2 f64) (param $forces i32) (result f64)
    (local $t i32) (local $i i32) (local $node i32) (local $cell i32)
    (local $p v128) (local $d v128) (local $squares v128) (local $force v128)
    (local $d2 f64) (local $q f64) (local $mq f64) (local $sumQ f64) (local $z f64)
    (block $pointsDone
      (loop $points
        (br_if $pointsDone (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $i (i32.shl (i32.load (i32.add (local.get $order) (i32.shl (local.get $t) (i32.const 2)))) (i32.const 4)))
        (local.set $p (v128.load (i32.add (local.get $points) (local.get $i))))
        (local.set $force (v128.const f64x2 0 0))
        (local.set $sumQ (f64.const 0))
        (local.set $node (i32.const 0))
        (block $nodesDone
          (loop $nodes
            (br_if $nodesDone (i32.ge_u (local.get $node) (local.get $size)))
            (local.set $cell (i32.add (local.get $nodes) (i32.shl (local.get $node) (i32.const 5))))
            (local.set $d (f64x2.sub (local.get $p) (v128.load (local.get $cell))))
            (local.set $squares (f64x2.mul (local.get $d) (local.get $d)))
            (local.set $d2 (f64.add (f64x2.extract_lane 0 (local.get $squares)) (f64x2.extract_lane 1 (local.get $squares))))
            (if (f64.lt (f64.load offset=24 (local.get $cell)) (f64.mul (local.get $theta2) (local.get $d2)))
              (then
                (if (f64.eq (local.get $d2) (f64.const 0))
                  (then
                    (local.set $sumQ (f64.add (local.get $sumQ) (f64.sub (f64.load offset=16 (local.get $cell)) (f64.const 1)))))
                  (else
                    (local.set $q (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $d2))))
                    (local.set $mq (f64.mul (f64.load offset=16 (local.get $cell)) (local.get $q)))
                    (local.set $sumQ (f64.add (local.get $sumQ) (local.get $mq)))
                    (local.set $force (f64x2.add (local.get $force)
                      (f64x2.mul (local.get $d) (f64x2.splat (f64.mul (local.get $mq) (local.get $q))))))))
                (local.set $node (i32.load (i32.add (local.get $skip) (i32.shl (local.get $node) (i32.const 2))))))
              (else
                (local.set $node (i32.add (local.get $node) (i32.const 1)))))
            (br $nodes)))
        (v128.store (i32.add (local.get $forces) (local.get $i)) (local.get $force))
        (local.set $z (f64.add (local.get $z) (local.get $sumQ)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $points)))
    (local.get $z))
)
