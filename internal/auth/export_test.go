package auth

// CountPasswordChecks replaces the password check with one that records the
// hash each check was made against, and returns the record and an undo.
func CountPasswordChecks() (checked *[]string, undo func()) {
	var hashes []string
	old := checkPassword
	checkPassword = func(hash, password string) (bool, error) {
		hashes = append(hashes, hash)
		return old(hash, password)
	}
	return &hashes, func() { checkPassword = old }
}
