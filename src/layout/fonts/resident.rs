//! Letting go of the pages of embedded font data once they have been read
//! through, so that a render's peak memory holds only the parts of the
//! fonts it uses.

/// Ask the kernel to drop this process's pages of `data`, the embedded
/// bytes of a font (in the executable's read-only data), when they are a
/// read-only mapping of the executable file: the pages stay in the page
/// cache and come back unchanged on the next read. Anything else (an
/// executable unpacked into anonymous memory, another platform) is left as
/// it is, since dropping anonymous pages would lose their contents.
#[cfg(target_os = "linux")]
pub fn release(data: &'static [u8]) {
    let page = 4096usize;
    let start = data.as_ptr() as usize;
    let (from, to) = (start.div_ceil(page) * page, (start + data.len()) / page * page);
    if to <= from || !file_backed_read_only(from, to) {
        return;
    }
    // SAFETY: the range lies inside `data`, a read-only private mapping of
    // a file (checked above); MADV_DONTNEED on such a mapping only unmaps
    // the pages, and the next access maps the file's same bytes again. No
    // reference into the range is invalidated.
    unsafe {
        libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_DONTNEED);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn release(_data: &'static [u8]) {}

/// Whether `from..to` lies in one mapping of /proc/self/maps that is not
/// writable and maps a file (it has an inode).
#[cfg(target_os = "linux")]
fn file_backed_read_only(from: usize, to: usize) -> bool {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else { return false };
    maps.lines().any(|line| {
        // "start-end perms offset dev inode path"
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms), Some(_), Some(_), Some(inode)) = (fields.next(), fields.next(), fields.next(), fields.next(), fields.next()) else {
            return false;
        };
        let Some((a, b)) = range.split_once('-') else { return false };
        let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16)) else { return false };
        a <= from && to <= b && !perms.contains('w') && inode != "0"
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    static DATA: [u8; 3 * 4096] = [7; 3 * 4096];

    #[test]
    fn released_data_reads_the_same() {
        assert!(file_backed_read_only(DATA.as_ptr() as usize, DATA.as_ptr() as usize + 1));
        release(&DATA);
        assert!(DATA.iter().all(|&b| b == 7));
        let heap = vec![1u8; 3 * 4096];
        assert!(!file_backed_read_only(heap.as_ptr() as usize, heap.as_ptr() as usize + 1));
    }
}
